// The audit trail under HTTP load: the built `dualuse serve` binary, a real
// store (a SQLite file; PostgreSQL from DUALUSE_TEST_PG), real HTTP on
// 127.0.0.1 from many client threads with keep-alive connections.
//
//  - every 2xx answer carries the id of its record (X-Dualuse-Record); all
//    those records exist, hold what was asked, and the hash chain is intact;
//  - SIGTERM in the middle of the load: the server stops, exit code 0, and
//    no acknowledged record is missing (group commit answers only after the
//    commit of the record's batch; shutdown drains the writer's queue).
// No timing assertions: the tests wait for counts, never for durations.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "dualuse/store/store.h"
#include "store/store_test_util.h"

namespace dualuse::store {
namespace {

using Json = nlohmann::json;
using testing::BackendTest;

const char kUnList[] = DUALUSE_LISTS_DIR "/un_sc/un_consolidated_2026-02-27.xml";

// Listed and unlisted names: listed ones raise review alerts, written in the
// same transaction as their record.
const std::array<const char*, 4> kNames = {"Korea Mining Development Trading Corporation",
                                           "Ivan Petrov", "Tanchon Commercial Bank",
                                           "Acme Precision Machining GmbH"};

// Runs the dualuse binary; returns its stdout (exit code in *code).
std::string RunDualuse(const std::string& args, int* code) {
  std::string cmd = std::string(DUALUSE_BINARY) + " " + args + " 2>/dev/null";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf;
  size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), p)) > 0)
    out.append(buf.data(), got);
  int status = pclose(p);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return out;
}

// One acknowledged request: the record id the server answered with.
struct Ack {
  int64_t record_id = 0;
  std::string name;
};

class ServeLoadTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_.reset();  // the server process owns the store while it runs
    data_dir_ = std::filesystem::temp_directory_path() /
                ("du_serve_load_" + std::to_string(getpid()) + "_" +
                 std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::create_directories(data_dir_);
    std::string common = " --db '" + db_->target() + "' --data-dir " + data_dir_.string();
    int code = -1;
    RunDualuse("users add loadtest --role officer" + common, &code);
    ASSERT_EQ(code, 0);
    token_ = RunDualuse("users token loadtest" + common, &code);
    ASSERT_EQ(code, 0);
    while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r'))
      token_.pop_back();
    ASSERT_FALSE(token_.empty());
    StartServer(common);
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_) std::fclose(out_);
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
    BackendTest::TearDown();
  }

  // Starts `dualuse serve --port 0` and reads its port from the first line.
  void StartServer(const std::string& common) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::string cmd = std::string("exec ") + DUALUSE_BINARY + " serve --port 0 --list " +
                        kUnList + common + " 2>/dev/null";
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    pid_ = pid;
    out_ = fdopen(fds[0], "r");
    char line[512];
    while (std::fgets(line, sizeof line, out_)) {
      if (const char* at = std::strstr(line, "http://127.0.0.1:")) {
        port_ = std::atoi(at + std::strlen("http://127.0.0.1:"));
        break;
      }
    }
    ASSERT_GT(port_, 0) << "dualuse serve did not start";
  }

  // Sends SIGTERM and waits for the server to exit; returns its exit status.
  int StopWithSigterm() {
    EXPECT_EQ(kill(pid_, SIGTERM), 0);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  // `clients` threads, each on its own keep-alive connection, POST /screen
  // until `per_client` answers or the server stops answering (after SIGTERM)
  // or `stop` is set. Every 2xx answer is collected.
  std::vector<Ack> Load(int clients, int per_client, std::atomic<bool>* stop,
                        std::atomic<int64_t>* acked) {
    std::mutex mu;
    std::vector<Ack> acks;
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        httplib::Client cli("127.0.0.1", port_);
        cli.set_keep_alive(true);
        cli.set_read_timeout(60, 0);
        httplib::Headers h{{"Authorization", "Bearer " + token_}};
        std::vector<Ack> mine;
        for (int i = 0; i < per_client && !stop->load(); ++i) {
          const char* name = kNames[static_cast<size_t>(c + i) % kNames.size()];
          auto r = cli.Post("/screen", h, Json{{"name", name}}.dump(), "application/json");
          if (!r) break;  // the server closed the connection: it is stopping
          if (r->status / 100 != 2) {
            ADD_FAILURE() << "status " << r->status << ": " << r->body;
            break;
          }
          int64_t id = std::atoll(r->get_header_value("X-Dualuse-Record").c_str());
          EXPECT_GT(id, 0);
          mine.push_back({id, name});
          ++*acked;
        }
        std::lock_guard lock(mu);
        acks.insert(acks.end(), mine.begin(), mine.end());
      });
    }
    for (auto& t : threads)
      t.join();
    return acks;
  }

  // Every acknowledged record exists, is the screening that was asked for,
  // has a distinct id, and the whole chain verifies.
  void CheckAcknowledged(const std::vector<Ack>& acks) {
    auto s = Store::Open(db_->target());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    auto rep = (*s)->Verify();
    ASSERT_TRUE(rep.ok()) << rep.error().ToString();
    EXPECT_TRUE(rep->ok()) << (rep->problems.empty() ? "" : rep->problems[0].message);
    std::map<int64_t, std::string> by_id;
    for (const Ack& a : acks) {
      EXPECT_TRUE(by_id.emplace(a.record_id, a.name).second)
          << "record " << a.record_id << " acknowledged twice";
    }
    EXPECT_GE(rep->records, static_cast<int64_t>(by_id.size()));
    size_t missing = 0;
    for (const auto& [id, name] : by_id) {
      auto r = (*s)->GetRecord(id);
      if (!r.ok()) {
        ++missing;
        continue;
      }
      EXPECT_EQ(r->kind, kKindScreening) << id;
      EXPECT_EQ(r->actor, "loadtest") << id;
      EXPECT_EQ(r->subject, name) << id;
    }
    EXPECT_EQ(missing, 0u) << "acknowledged records lost";
    // Each screening request wrote exactly one record.
    RecordQuery q;
    q.kind = kKindScreening;
    auto screenings = (*s)->Records(q);
    ASSERT_TRUE(screenings.ok());
    EXPECT_GE(screenings->size(), by_id.size());
  }

  std::filesystem::path data_dir_;
  std::string token_;
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  int port_ = 0;
};

TEST_P(ServeLoadTest, ConcurrentRequestsAreAllRecordedInOneChain) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> acked{0};
  constexpr int kClients = 32, kPerClient = 40;
  std::vector<Ack> acks = Load(kClients, kPerClient, &stop, &acked);
  EXPECT_EQ(acks.size(), static_cast<size_t>(kClients * kPerClient));
  int status = StopWithSigterm();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  CheckAcknowledged(acks);
  // Nothing was in flight at SIGTERM: exactly one record per answer.
  auto s = Store::Open(db_->target());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*(*s)->RecordCount(), static_cast<int64_t>(acks.size()));
}

TEST_P(ServeLoadTest, SigtermDuringLoadLosesNoAcknowledgedRecord) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> acked{0};
  std::atomic<bool> load_done{false};
  std::vector<Ack> acks;
  std::thread load([&] {
    acks = Load(32, 1000000, &stop, &acked);
    load_done = true;
  });
  // SIGTERM once the load is well under way (a count, not a duration).
  while (acked.load() < 300 && !load_done.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (load_done.load()) {
    load.join();
    FAIL() << "the clients stopped before SIGTERM";
  }
  int status = StopWithSigterm();
  stop = true;
  load.join();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_GE(acks.size(), 300u);
  CheckAcknowledged(acks);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeLoadTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace dualuse::store
