// LoadScreener: lists from files or from the data directory's registry.
#include <filesystem>
#include <thread>

#include "dualuse/lists/list.h"
#include "dualuse/lists/registry.h"
#include "dualuse/screening/engine.h"
#include "screening/normalize.h"
#include "screening/terms.h"

namespace dualuse::screening {

void PrepareScreening() {
  PrepareTransliterators();
  (void)DefaultNameTerms();
}

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
    if (std::filesystem::is_directory(std::filesystem::path(data_dir) / "lists", ec)) {
      lists::ListRegistry registry(data_dir);
      DU_ASSIGN_OR_RETURN(versions, registry.LoadAllCurrent(as_of));
    }
  }
  if (versions.empty()) {
    return Status::FailedPrecondition(
        "no lists: pass --list PATH or import lists into " + data_dir +
        "/lists with `dualuse lists import` (in force on " + as_of.ToString() + ")");
  }
  return ListScreener::Build(std::move(versions), options);
}

}  // namespace dualuse::screening
