#include "dualuse/server/change_feed.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "dualuse/base/sha256.h"

namespace dualuse::server {
namespace {

constexpr std::chrono::milliseconds kWaitSlice{250};  // how soon Stop() is noticed
constexpr std::chrono::seconds kRelisten{5};          // between attempts to listen again
constexpr std::chrono::seconds kAccessAgain{1};

bool IsPostgres(const std::string& target) {
  return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0;
}

}  // namespace

std::string ManifestStamp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Sha256Hex(text);
}

ChangeFeed::ChangeFeed(store::Store* store, ChangeFeedOptions options, ChangeHandlers handlers)
    : store_(store), options_(std::move(options)), handlers_(std::move(handlers)) {
  if (!options_.manifest_path.empty()) lists_stamp_ = ManifestStamp(options_.manifest_path);
  if (auto s = store_->AccessStamp(); s.ok()) access_stamp_ = *s;
}

ChangeFeed::~ChangeFeed() { Stop(); }

void ChangeFeed::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void ChangeFeed::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChangeFeed::CheckLists() {
  if (options_.manifest_path.empty() || !handlers_.lists) return;
  std::string stamp = ManifestStamp(options_.manifest_path);
  if (stamp == lists_stamp_) return;
  lists_stamp_ = std::move(stamp);
  ++lists_changes_;
  handlers_.lists();
}

void ChangeFeed::AccessChanged(Clock::time_point now) {
  ++access_changes_;
  if (handlers_.access) handlers_.access();
  again_at_ = now + kAccessAgain;
}

void ChangeFeed::CheckAccess() {
  auto stamp = store_->AccessStamp();
  if (!stamp.ok()) return;  // the store is down; the requests say so
  if (*stamp == access_stamp_) return;
  access_stamp_ = std::move(stamp).value();
  AccessChanged(Clock::now());
}

void ChangeFeed::Loop() {
  const bool listen = IsPostgres(options_.store_target);
  std::unique_ptr<store::ChangeListener> listener;
  Clock::time_point next_poll = Clock::now() + options_.poll_interval;
  Clock::time_point next_listen = Clock::now();
  bool told_unavailable = false;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
    Clock::time_point now = Clock::now();
    if (listen && !listener && now >= next_listen) {
      auto l = store::ListenForChanges(options_.store_target);
      if (l.ok()) {
        listener = std::move(l).value();
        listening_ = true;
        if (told_unavailable) std::fprintf(stderr, "dualuse serve: listening for changes again\n");
        told_unavailable = false;
        // What changed while nobody listened.
        CheckLists();
        CheckAccess();
      } else {
        if (!told_unavailable) {
          std::fprintf(stderr, "dualuse serve: warning: %s; polling every %lld ms\n",
                       l.error().message().c_str(),
                       static_cast<long long>(options_.poll_interval.count()));
        }
        told_unavailable = true;
        next_listen = now + kRelisten;
      }
    }
    Clock::time_point until = next_poll;
    if (again_at_ != Clock::time_point{}) until = std::min(until, again_at_);
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
    wait = std::clamp(wait, std::chrono::milliseconds(0), kWaitSlice);
    if (listener) {
      auto kinds = listener->Wait(static_cast<int>(wait.count()));
      if (!kinds.ok()) {
        std::fprintf(stderr, "dualuse serve: warning: %s; polling until listening again\n",
                     kinds.error().message().c_str());
        listener.reset();
        listening_ = false;
        told_unavailable = true;
        next_listen = Clock::now() + kRelisten;
      } else {
        bool lists = false, access = false;
        for (const std::string& k : *kinds) {
          lists |= k == "lists";
          access |= k == "tokens" || k == "users";
        }
        if (lists) CheckLists();
        if (access) {
          if (auto s = store_->AccessStamp(); s.ok()) access_stamp_ = *s;
          AccessChanged(Clock::now());
        }
      }
    } else {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, wait, [this] { return stop_; });
    }
    now = Clock::now();
    if (again_at_ != Clock::time_point{} && now >= again_at_) {
      again_at_ = {};
      if (handlers_.access) handlers_.access();
    }
    if (now >= next_poll) {
      CheckLists();
      CheckAccess();
      next_poll = now + options_.poll_interval;
    }
  }
}

}  // namespace dualuse::server
