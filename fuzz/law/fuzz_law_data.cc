// libFuzzer target: LawData::LoadFromTexts, the schema and cross checks of
// data/law/ (no input may crash or hang the loader). The input's first line
// names the file it replaces ("regimes.json", "member-states/nl.json",
// "law.json"); the rest is that file's text. The other files are the bundled
// ones, read once, so that the checks which relate files to each other run.
// Seeds: fuzz/corpus/fuzz_law_data/ (each bundled file with its name line).
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "dualuse/law/law_data.h"

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// law.json and the files it lists, from the source tree.
const std::map<std::string, std::string>& Bundled() {
  static const std::map<std::string, std::string> texts = [] {
    const std::string dir = std::string(DUALUSE_SOURCE_DIR) + "/data/law";
    std::map<std::string, std::string> t;
    t["law.json"] = ReadFile(dir + "/law.json");
    auto manifest = nlohmann::json::parse(t["law.json"], nullptr, false);
    if (manifest.is_object() && manifest.contains("files") && manifest["files"].is_array()) {
      for (const auto& f : manifest["files"]) {
        if (f.is_string()) t[f.get<std::string>()] = ReadFile(dir + "/" + f.get<std::string>());
      }
    }
    return t;
  }();
  return texts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  if (nl == std::string_view::npos) return 0;
  std::string name(input.substr(0, nl));
  std::map<std::string, std::string> texts = Bundled();
  auto it = texts.find(name);
  if (it == texts.end()) return 0;
  it->second.assign(input.substr(nl + 1));
  auto law = dualuse::law::LawData::LoadFromTexts(texts);
  if (law.ok()) (void)(*law)->version();
  return 0;
}
