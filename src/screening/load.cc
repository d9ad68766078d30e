// LoadScreener: lists from files or from the data directory's registry, the
// latter through the list snapshot (snapshot.h) when one is valid.
#include <sys/stat.h>
#include <unicode/uversion.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "dualuse/base/resources.h"
#include "dualuse/base/sha256.h"
#include "dualuse/lists/list.h"
#include "dualuse/lists/registry.h"
#include "dualuse/screening/engine.h"
#include "screening/normalize.h"
#include "screening/snapshot.h"
#include "screening/terms.h"

namespace dualuse::screening {

void PrepareScreening() {
  PrepareTransliterators();
  (void)DefaultNameTerms();
}

namespace {

// What the analysis of a name depends on besides its text: the name-term
// data files, ICU's version and the program itself (its size and
// modification time: a rebuilt program may analyse differently). A snapshot
// records it, so that one built by another program or with other data is
// rebuilt rather than trusted.
std::string AnalysisIdentity() {
  std::string data;
  for (const char* f : {"screening/legal-forms.json", "screening/name-terms.json",
                        "screening/name-variants.json"}) {
    std::ifstream in(ResourcePath(f), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    data += in ? text.str() : std::string("missing ") + f;
    data.push_back('\0');
  }
  std::string out = "analysis " + Sha256Hex(data).substr(0, 16) + " icu " U_ICU_VERSION;
  struct stat st {};
  if (::stat("/proc/self/exe", &st) == 0) {
    out += " program " + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtim.tv_sec) +
           "." + std::to_string(st.st_mtim.tv_nsec);
  }
  return out + "\n";
}

}  // namespace

Result<std::unique_ptr<ListScreener>> LoadScreener(const std::vector<std::string>& list_paths,
                                                   const std::string& data_dir, const Date& as_of,
                                                   EngineOptions options) {
  std::vector<lists::ListVersion> versions;
  if (!list_paths.empty()) {
    // The transliterators are built while the lists are parsed.
    std::thread prepare(PrepareScreening);
    auto loaded = lists::LoadLists(list_paths);
    prepare.join();
    DU_ASSIGN_OR_RETURN(versions, std::move(loaded));
  } else {
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::path(data_dir) / "lists";
    if (std::filesystem::is_directory(dir, ec)) {
      lists::ListRegistry registry(data_dir);
      // The versions in force, from the manifest alone; their snapshot when
      // it is valid, else the list files (and a fresh snapshot).
      DU_ASSIGN_OR_RETURN(std::vector<lists::VersionRecord> records, registry.Versions());
      std::set<std::string> ids;
      for (const lists::VersionRecord& r : records)
        ids.insert(r.list_id);
      std::vector<SnapshotSource> sources;
      std::vector<lists::VersionRecord> current;
      for (const std::string& id : ids) {
        auto cur = registry.Current(id, as_of);
        if (!cur.ok()) {
          if (cur.error().code() == StatusCode::kNotFound) continue;
          return cur.error();
        }
        sources.push_back({cur->list_id, cur->version, cur->sha256});
        current.push_back(std::move(cur).value());
      }
      if (!sources.empty()) {
        const std::string source = AnalysisIdentity() + SnapshotSourceText(sources);
        const std::string path = (dir / SnapshotFileName(source)).string();
        auto snap = ReadSnapshot(path, source, options);
        if (snap.ok()) return snap;
        std::thread prepare(PrepareScreening);
        for (const lists::VersionRecord& r : current) {
          auto v = registry.Load(r);
          if (!v.ok()) {
            prepare.join();
            return v.error();
          }
          versions.push_back(std::move(v).value());
        }
        prepare.join();
        DU_ASSIGN_OR_RETURN(auto screener, ListScreener::Build(std::move(versions), options));
        // A data directory that cannot take the file still screens.
        (void)WriteSnapshot(*screener, source, path);
        return screener;
      }
    }
  }
  if (versions.empty()) {
    return Status::FailedPrecondition(
        "no lists: pass --list PATH or import lists into " + data_dir +
        "/lists with `dualuse lists import` (in force on " + as_of.ToString() + ")");
  }
  return ListScreener::Build(std::move(versions), options);
}

Status PrepareListSnapshot(const std::string& data_dir, const Date& as_of) {
  auto screener = LoadScreener({}, data_dir, as_of);
  return screener.ok() ? Status::Ok() : screener.error();
}

}  // namespace dualuse::screening
