{
  "targets": [
    {
      "target_name": "wavetape",
      "sources": ["<!@(node scripts/sources.js addon)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-march=x86-64-v2", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter", "<!@(node scripts/werror.js)"],
      "cflags!": ["-O2"],
      "libraries": ["-ldl", "-lpthread"]
    }
  ]
}
