#include "dualuse/base/resources.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace dualuse {

std::string ResourceDir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("DUALUSE_RESOURCES"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path candidate = exe.parent_path().parent_path() / "data";
    if (fs::is_directory(candidate / "law", ec)) return candidate.string();
  }
  return std::string(DUALUSE_SOURCE_DIR) + "/data";
}

std::string ResourcePath(const std::string& relative) { return ResourceDir() + "/" + relative; }

}  // namespace dualuse
