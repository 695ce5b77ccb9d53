// Elementwise functors behind WT_OP_UNARY / WT_OP_BINARY on every backend, plus the visitors
// that map an op code to its functor so each backend instantiates one loop per functor.
#pragma once
#include "../abi/plugin_abi.h"
#include "complex.h"
#include "scalar_math.h"

namespace wt {
namespace ew {

// ---- unary (real) ------------------------------------------------------------------------
struct Neg { template <class T> WT_HD T operator()(T x) const { return -x; } };
struct Abs { template <class T> WT_HD T operator()(T x) const { return m::fabs(x); } };
struct Square { template <class T> WT_HD T operator()(T x) const { return x * x; } };
struct Sqrt { template <class T> WT_HD T operator()(T x) const { return m::sqrt(x); } };
struct Exp { template <class T> WT_HD T operator()(T x) const { return m::exp(x); } };
struct Log { template <class T> WT_HD T operator()(T x) const { return m::log(x); } };
struct Log1p { template <class T> WT_HD T operator()(T x) const { return m::log1p(x); } };
struct Expm1 { template <class T> WT_HD T operator()(T x) const { return m::expm1(x); } };
// Branches keep exp's argument <= 0 so neither side overflows.
struct Sigmoid {
  template <class T> WT_HD T operator()(T x) const {
    if (x >= T(0)) return T(1) / (T(1) + m::exp(-x));
    T e = m::exp(x);
    return e / (T(1) + e);
  }
};
struct Tanh { template <class T> WT_HD T operator()(T x) const { return m::tanh(x); } };
struct Relu { template <class T> WT_HD T operator()(T x) const { return x > T(0) ? x : (x != x ? x : T(0)); } };
// softplus(x) = max(x, 0) + log1p(exp(-|x|)): exact for large |x|, no overflow.
struct Softplus {
  template <class T> WT_HD T operator()(T x) const {
    return (x > T(0) ? x : T(0)) + m::log1p(m::exp(-m::fabs(x)));
  }
};
struct Sin { template <class T> WT_HD T operator()(T x) const { return m::sin(x); } };
struct Cos { template <class T> WT_HD T operator()(T x) const { return m::cos(x); } };
struct Sign {
  template <class T> WT_HD T operator()(T x) const { return x > T(0) ? T(1) : (x < T(0) ? T(-1) : x); }
};
struct Reciprocal { template <class T> WT_HD T operator()(T x) const { return T(1) / x; } };
struct PowScalar {
  double p;
  template <class T> WT_HD T operator()(T x) const {
    if (p == 2.0) return x * x;  // exact, and the common case in losses
    return m::pow(x, T(p));
  }
};
struct Clamp {
  double lo, hi;
  template <class T> WT_HD T operator()(T x) const {
    if (x != x) return x;
    return x < T(lo) ? T(lo) : (x > T(hi) ? T(hi) : x);
  }
};
struct Affine {
  double a, b;
  template <class T> WT_HD T operator()(T x) const { return x * T(a) + T(b); }
  template <class T> WT_HD cplx<T> operator()(cplx<T> x) const { return {x.re * T(a) + T(b), x.im * T(a)}; }
};
// ---- unary (complex aware) ---------------------------------------------------------------
struct CNeg { template <class T> WT_HD cplx<T> operator()(cplx<T> x) const { return -x; } };
struct CConj { template <class T> WT_HD cplx<T> operator()(cplx<T> x) const { return conj(x); } };
struct CSquare { template <class T> WT_HD cplx<T> operator()(cplx<T> x) const { return x * x; } };
// |z| via scaling so that |z|^2 cannot overflow or underflow.
struct CAbs {
  template <class T> WT_HD T operator()(cplx<T> x) const {
    T a = m::fabs(x.re), b = m::fabs(x.im);
    T hi = a > b ? a : b, lo = a > b ? b : a;
    if (hi == T(0) || hi != hi) return hi + lo;
    T r = lo / hi;
    return hi * m::sqrt(T(1) + r * r);
  }
};
struct CAbs2 { template <class T> WT_HD T operator()(cplx<T> x) const { return abs2(x); } };
struct CAngle { template <class T> WT_HD T operator()(cplx<T> x) const { return m::atan2(x.im, x.re); } };
struct Abs2 { template <class T> WT_HD T operator()(T x) const { return x * x; } };
struct Angle {
  template <class T> WT_HD T operator()(T x) const { return x < T(0) ? T(3.14159265358979323846) : (x != x ? x : T(0)); }
};

// Calls visit(functor) for a real-input unary code; returns false for codes that need complex
// input (CONJ) so the caller can report it. Output type equals input type.
WT_FORWARDS_TO_CALLABLE
template <class V>
WT_HD bool visitRealUnary(int code, double p0, double p1, V&& visit) {
  switch (code) {
    case WT_UN_NEG: visit(Neg{}); return true;
    case WT_UN_ABS: visit(Abs{}); return true;
    case WT_UN_SQUARE: visit(Square{}); return true;
    case WT_UN_SQRT: visit(Sqrt{}); return true;
    case WT_UN_EXP: visit(Exp{}); return true;
    case WT_UN_LOG: visit(Log{}); return true;
    case WT_UN_LOG1P: visit(Log1p{}); return true;
    case WT_UN_EXPM1: visit(Expm1{}); return true;
    case WT_UN_SIGMOID: visit(Sigmoid{}); return true;
    case WT_UN_TANH: visit(Tanh{}); return true;
    case WT_UN_RELU: visit(Relu{}); return true;
    case WT_UN_SOFTPLUS: visit(Softplus{}); return true;
    case WT_UN_SIN: visit(Sin{}); return true;
    case WT_UN_COS: visit(Cos{}); return true;
    case WT_UN_SIGN: visit(Sign{}); return true;
    case WT_UN_RECIPROCAL: visit(Reciprocal{}); return true;
    case WT_UN_POW_SCALAR: visit(PowScalar{p0}); return true;
    case WT_UN_CLAMP: visit(Clamp{p0, p1}); return true;
    case WT_UN_AFFINE: visit(Affine{p0, p1}); return true;
    case WT_UN_ABS2: visit(Abs2{}); return true;
    case WT_UN_ANGLE: visit(Angle{}); return true;
    default: return false;
  }
}

// Complex input, complex output.
WT_FORWARDS_TO_CALLABLE
template <class V>
WT_HD bool visitComplexUnary(int code, double p0, double p1, V&& visit) {
  switch (code) {
    case WT_UN_NEG: visit(CNeg{}); return true;
    case WT_UN_CONJ: visit(CConj{}); return true;
    case WT_UN_SQUARE: visit(CSquare{}); return true;
    case WT_UN_AFFINE: visit(Affine{p0, p1}); return true;
    default: return false;
  }
}

// Complex input, real output.
WT_FORWARDS_TO_CALLABLE
template <class V>
WT_HD bool visitComplexToReal(int code, V&& visit) {
  switch (code) {
    case WT_UN_ABS: visit(CAbs{}); return true;
    case WT_UN_ABS2: visit(CAbs2{}); return true;
    case WT_UN_ANGLE: visit(CAngle{}); return true;
    default: return false;
  }
}

WT_HD bool unaryComplexToReal(int code) {
  return code == WT_UN_ABS || code == WT_UN_ABS2 || code == WT_UN_ANGLE;
}
WT_HD bool unaryAcceptsComplex(int code) {
  return unaryComplexToReal(code) || code == WT_UN_NEG || code == WT_UN_CONJ || code == WT_UN_SQUARE ||
         code == WT_UN_AFFINE;
}

// ---- binary --------------------------------------------------------------------------------
struct Add { template <class T> WT_HD T operator()(T a, T b) const { return a + b; } };
struct Sub { template <class T> WT_HD T operator()(T a, T b) const { return a - b; } };
struct Mul { template <class T> WT_HD T operator()(T a, T b) const { return a * b; } };
struct Div { template <class T> WT_HD T operator()(T a, T b) const { return a / b; } };
struct Pow { template <class T> WT_HD T operator()(T a, T b) const { return m::pow(a, b); } };
// NaN-propagating, like numpy.maximum / minimum.
struct Maximum {
  template <class T> WT_HD T operator()(T a, T b) const { return (a != a || a > b) ? a : b; }
};
struct Minimum {
  template <class T> WT_HD T operator()(T a, T b) const { return (a != a || a < b) ? a : b; }
};
struct Eq { template <class T> WT_HD T operator()(T a, T b) const { return a == b ? T(1) : T(0); } };
struct Ne { template <class T> WT_HD T operator()(T a, T b) const { return a != b ? T(1) : T(0); } };
struct Lt { template <class T> WT_HD T operator()(T a, T b) const { return a < b ? T(1) : T(0); } };
struct Le { template <class T> WT_HD T operator()(T a, T b) const { return a <= b ? T(1) : T(0); } };
struct Gt { template <class T> WT_HD T operator()(T a, T b) const { return a > b ? T(1) : T(0); } };
struct Ge { template <class T> WT_HD T operator()(T a, T b) const { return a >= b ? T(1) : T(0); } };

WT_FORWARDS_TO_CALLABLE
template <class V>
WT_HD bool visitRealBinary(int code, V&& visit) {
  switch (code) {
    case WT_BIN_ADD: visit(Add{}); return true;
    case WT_BIN_SUB: visit(Sub{}); return true;
    case WT_BIN_MUL: visit(Mul{}); return true;
    case WT_BIN_DIV: visit(Div{}); return true;
    case WT_BIN_POW: visit(Pow{}); return true;
    case WT_BIN_MAXIMUM: visit(Maximum{}); return true;
    case WT_BIN_MINIMUM: visit(Minimum{}); return true;
    case WT_BIN_EQ: visit(Eq{}); return true;
    case WT_BIN_NE: visit(Ne{}); return true;
    case WT_BIN_LT: visit(Lt{}); return true;
    case WT_BIN_LE: visit(Le{}); return true;
    case WT_BIN_GT: visit(Gt{}); return true;
    case WT_BIN_GE: visit(Ge{}); return true;
    default: return false;
  }
}

WT_FORWARDS_TO_CALLABLE
template <class V>
WT_HD bool visitComplexBinary(int code, V&& visit) {
  switch (code) {
    case WT_BIN_ADD: visit(Add{}); return true;
    case WT_BIN_SUB: visit(Sub{}); return true;
    case WT_BIN_MUL: visit(Mul{}); return true;
    case WT_BIN_DIV: visit(Div{}); return true;
    default: return false;
  }
}

WT_HD bool binaryAcceptsComplex(int code) { return code <= WT_BIN_DIV; }

}  // namespace ew
}  // namespace wt
