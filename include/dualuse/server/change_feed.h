// ChangeFeed: how a `dualuse serve` learns of changes made by other
// processes on the same store and data directory: a list import (any
// server, or `dualuse lists import`), a token revoked or a user disabled,
// enabled or given another role (another server, or `dualuse users ...`).
//
// Two paths, the second a fallback for the first (docs/scaling.md):
//  - PostgreSQL: LISTEN on store::kChangeChannel (the store NOTIFYs
//    "tokens" and "users" in the transaction of the change; the lists
//    command NOTIFYs "lists" once the import is committed). Delivered within
//    milliseconds of the commit.
//  - every poll interval (2 s by default), on any store: the list
//    manifest's content and store::Store::AccessStamp() are compared with
//    the last ones seen. This catches a notification missed while the
//    listening connection was down, and is the only path on SQLite.
// On a change the handler for it runs on the feed's thread: `lists` reloads
// the lists (it may take as long as loading them at start; requests are
// answered from the lists before meanwhile), `access` forgets the verified
// tokens (Server::ForgetVerifiedTokens). `access` runs once more a second
// later, for a token confirmed by a request that read the store just before
// the change committed.
#ifndef DUALUSE_SERVER_CHANGE_FEED_H_
#define DUALUSE_SERVER_CHANGE_FEED_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "dualuse/store/store.h"

namespace dualuse::server {

struct ChangeFeedOptions {
  // The store's target (--db): a postgresql:// URL is listened on; a SQLite
  // path is polled only.
  std::string store_target;
  // <data-dir>/lists/manifest.json; "" = lists are not watched.
  std::string manifest_path;
  std::chrono::milliseconds poll_interval{2000};
};

struct ChangeHandlers {
  std::function<void()> lists;   // the imported lists changed
  std::function<void()> access;  // a token or user changed
};

class ChangeFeed {
 public:
  // `store` (for AccessStamp) must outlive the feed. Reads the first stamps
  // here, so a change after construction is seen.
  ChangeFeed(store::Store* store, ChangeFeedOptions options, ChangeHandlers handlers);
  ~ChangeFeed();  // Stop()
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  void Start();
  void Stop();

  // How often each handler ran, and whether notifications are being
  // received now (for tests and the log).
  int lists_changes() const { return lists_changes_.load(); }
  int access_changes() const { return access_changes_.load(); }
  bool listening() const { return listening_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  void Loop();
  void CheckLists();
  void CheckAccess();
  void AccessChanged(Clock::time_point now);

  store::Store* store_;
  const ChangeFeedOptions options_;
  const ChangeHandlers handlers_;
  std::string lists_stamp_, access_stamp_;
  Clock::time_point again_at_{};  // the second `access` run; {} = none due
  std::atomic<int> lists_changes_{0}, access_changes_{0};
  std::atomic<bool> listening_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// The content stamp of a list manifest ("" when the file is missing).
std::string ManifestStamp(const std::string& path);

}  // namespace dualuse::server

#endif  // DUALUSE_SERVER_CHANGE_FEED_H_
