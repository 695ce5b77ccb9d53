/* A plugin built against another ABI version than the addon's: the loader must refuse it by its
 * version (a reason in wt.backends()) before calling any of its functions, which are all null. */
#include "../../native/abi/plugin_abi.h"

static const wt_plugin kPlugin = {.abi_version = WT_ABI_VERSION + 1, .name = "cuda"};

__attribute__((visibility("default"))) const wt_plugin* wavetape_plugin_v1(void) { return &kPlugin; }
