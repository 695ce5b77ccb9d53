/**
 * Paper A's training objectives, all differentiable wavetape compositions: the logistic and
 * contrastive pair losses on soft-DTW distances, the soft-lag correlation objective, a weighted
 * combination, semi-hard mining and balanced batches, and the regularisers R(θ).
 */
export {
  pairLogistic, pairProbability, contrastiveMargin, softLagObjective, combine,
  type Reduction, type PairLogisticOptions, type PairProbabilityOptions, type ContrastiveMarginOptions, type SoftLagObjectiveOptions, type PairList,
} from './pair';
export {
  mineSemiHard, sampleBalanced, allPairs,
  type MineOptions, type Triplets, type BalancedOptions, type LabelledPairs,
} from './mining';
export {
  energyFloorCheck, energyFloorPenalty, smoothness, firstDifferenceL1, complexityPenalty,
  type EnergyFloorOptions, type EnergyFloorReport, type EnergyFloorPenaltyOptions, type DifferenceOptions,
  type ComplexitySpec, type ComplexityWeights,
} from './regularisers';
