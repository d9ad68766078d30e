// Where the bundled data (law data, web assets) is found at run time.
//
// Order: the environment variable DUALUSE_RESOURCES, then <dir of the running
// binary>/../data (a build in build/ next to data/), then the source tree the
// binary was built from (compile-time DUALUSE_SOURCE_DIR "/data").
#ifndef DUALUSE_BASE_RESOURCES_H_
#define DUALUSE_BASE_RESOURCES_H_

#include <string>

namespace dualuse {

// The directory holding law/, controllists/ etc. Never empty; may not exist.
std::string ResourceDir();

// ResourceDir() + "/" + relative.
std::string ResourcePath(const std::string& relative);

}  // namespace dualuse

#endif  // DUALUSE_BASE_RESOURCES_H_
