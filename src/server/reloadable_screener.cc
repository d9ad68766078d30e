#include "dualuse/server/reloadable_screener.h"

namespace dualuse::server {
namespace {

// The pin of this thread: which ReloadableScreener, and the screener it
// stands for. One pin per thread (a request runs on one thread).
struct ThreadPin {
  const ReloadableScreener* owner = nullptr;
  std::shared_ptr<const screening::PartyScreener> screener;
};
thread_local ThreadPin pin;

}  // namespace

ReloadableScreener::ReloadableScreener(std::shared_ptr<const screening::PartyScreener> first)
    : current_(std::move(first)) {}

void ReloadableScreener::Replace(std::shared_ptr<const screening::PartyScreener> next) {
  std::vector<std::shared_ptr<const screening::PartyScreener>> expired;  // freed unlocked
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    for (auto it = replaced_.begin(); it != replaced_.end();) {
      if (now - it->first > kRetainReplaced) {
        expired.push_back(std::move(it->second));
        it = replaced_.erase(it);
      } else {
        ++it;
      }
    }
    replaced_.emplace_back(now, current_);
    current_ = std::move(next);
  }
}

std::shared_ptr<const screening::PartyScreener> ReloadableScreener::Current() const {
  if (pin.owner == this) return pin.screener;
  std::lock_guard lock(mu_);
  return current_;
}

ReloadableScreener::Pinned ReloadableScreener::Pin() const {
  Pinned p;
  if (pin.owner != nullptr) return p;  // already pinned on this thread: keep that one
  std::shared_ptr<const screening::PartyScreener> s;
  {
    std::lock_guard lock(mu_);
    s = current_;
  }
  pin.owner = this;
  pin.screener = std::move(s);
  p.active_ = true;
  return p;
}

ReloadableScreener::Pinned::Pinned(Pinned&& other) noexcept : active_(other.active_) {
  other.active_ = false;
}

ReloadableScreener::Pinned::~Pinned() {
  if (!active_) return;
  pin.owner = nullptr;
  pin.screener.reset();
}

screening::ScreeningResult ReloadableScreener::Screen(const screening::PartyQuery& query) const {
  return Current()->Screen(query);
}

std::map<std::string, std::string> ReloadableScreener::ListVersions() const {
  return Current()->ListVersions();
}

screening::ScreeningResult ReloadableScreener::ScreenWith(
    const screening::PartyQuery& query, const screening::ScreenOptions& options) const {
  return Current()->ScreenWith(query, options);
}

const lists::Entity* ReloadableScreener::FindEntity(const std::string& list,
                                                    const std::string& id) const {
  return Current()->FindEntity(list, id);
}

size_t ReloadableScreener::EntityCount(const std::string& list) const {
  return Current()->EntityCount(list);
}

}  // namespace dualuse::server
