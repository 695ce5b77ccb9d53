// The C++ side of the op table (ops.def): compile-time checks on its ids and the attribute that
// turns a backend's missing entry point into a link error.
#pragma once
#include "plugin_abi.h"

#define WT_OP(KIND, id, name, entry, P) \
  static_assert(id > 0 && id < WT_OP_KIND_LIMIT, "ops.def: the id of " #name " must be in [1, 64)");
#include "ops.def"

// Backend entry points are hidden. Besides keeping them out of the library's exports, a hidden
// symbol that no object defines fails the link even of a shared library ("hidden symbol ... isn't
// defined"), where an undefined default-visibility one would only fail when the library is loaded.
#define WT_BACKEND_ENTRY __attribute__((visibility("hidden")))
