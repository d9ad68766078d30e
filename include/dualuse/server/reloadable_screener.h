// ReloadableScreener: the screener `dualuse serve` answers from, replaced
// while it serves when the imported lists change (ChangeFeed,
// change_feed.h). Every call goes to the screener in force; a request
// pinned with Pin() sees one screener from start to end, so its matches and
// the list versions its answer and record name come from the same lists.
#ifndef DUALUSE_SERVER_RELOADABLE_SCREENER_H_
#define DUALUSE_SERVER_RELOADABLE_SCREENER_H_

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "dualuse/screening/screener.h"

namespace dualuse::server {

class ReloadableScreener : public screening::PartyScreener {
 public:
  explicit ReloadableScreener(std::shared_ptr<const screening::PartyScreener> first);

  // Puts `next` in force for every call not pinned to the one before. The
  // one before is kept for kRetainReplaced, so that entity pointers handed
  // out from it (FindEntity) stay valid for any request still using them.
  void Replace(std::shared_ptr<const screening::PartyScreener> next);
  static constexpr std::chrono::minutes kRetainReplaced{10};

  // While the returned object lives, this thread's calls on this screener
  // go to the screener in force when Pin() was called.
  class Pinned {
   public:
    Pinned(Pinned&& other) noexcept;
    Pinned(const Pinned&) = delete;
    Pinned& operator=(const Pinned&) = delete;
    Pinned& operator=(Pinned&&) = delete;
    ~Pinned();

   private:
    friend class ReloadableScreener;
    Pinned() = default;
    bool active_ = false;
  };
  Pinned Pin() const;

  screening::ScreeningResult Screen(const screening::PartyQuery& query) const override;
  std::map<std::string, std::string> ListVersions() const override;
  screening::ScreeningResult ScreenWith(const screening::PartyQuery& query,
                                        const screening::ScreenOptions& options) const override;
  const lists::Entity* FindEntity(const std::string& list, const std::string& id) const override;
  size_t EntityCount(const std::string& list) const override;

 private:
  std::shared_ptr<const screening::PartyScreener> Current() const;

  mutable std::mutex mu_;
  std::shared_ptr<const screening::PartyScreener> current_;
  std::vector<std::pair<std::chrono::steady_clock::time_point,
                        std::shared_ptr<const screening::PartyScreener>>>
      replaced_;
};

}  // namespace dualuse::server

#endif  // DUALUSE_SERVER_RELOADABLE_SCREENER_H_
