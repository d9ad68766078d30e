// The web/ files, embedded at build time by cmake/EmbedAssets.cmake into
// the generated assets_data.cc (no files are read at run time).
#ifndef DUALUSE_SRC_SERVER_ASSETS_H_
#define DUALUSE_SRC_SERVER_ASSETS_H_

#include <cstddef>
#include <string_view>

namespace dualuse::server::internal {

struct EmbeddedAsset {
  const char* path;  // relative to web/, e.g. "index.html", "i18n/nl.json"
  const unsigned char* data;
  size_t size;
};

extern const EmbeddedAsset kEmbeddedAssets[];
extern const size_t kEmbeddedAssetCount;

// The asset at `path`, or nullptr.
const EmbeddedAsset* FindAsset(std::string_view path);

// MIME type from the file extension.
const char* ContentTypeFor(std::string_view path);

}  // namespace dualuse::server::internal

#endif  // DUALUSE_SRC_SERVER_ASSETS_H_
