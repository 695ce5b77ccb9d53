#!/usr/bin/env node
// Prints -Werror for native builds in CI (CI=true), nothing elsewhere: warnings fail CI only.
'use strict';
process.stdout.write(process.env.CI === 'true' || process.env.WAVETAPE_WERROR === '1' ? '-Werror' : '');
