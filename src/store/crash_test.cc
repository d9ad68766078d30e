// Crash safety, on each backend: kill -9 in the middle of a batch of
// appends or of an import leaves the store consistent (audit verify passes)
// and loses no committed record; two processes appending at once corrupt
// nothing. The writer is a separate process (crash_helper.cc).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "dualuse/store/store.h"
#include "store/store_test_util.h"

namespace dualuse::store {
namespace {

using testing::BackendTest;

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;
};

Child Spawn(const std::string& target, const std::string& mode, long n) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::string count = std::to_string(n);
    execl(DUALUSE_STORE_HELPER, DUALUSE_STORE_HELPER, target.c_str(), mode.c_str(), count.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  return {pid, fdopen(fds[0], "r")};
}

// Reads "committed <id>" lines until `want` were seen or the child ends.
std::vector<int64_t> ReadCommitted(FILE* f, size_t want) {
  std::vector<int64_t> ids;
  char line[128];
  while (ids.size() < want && std::fgets(line, sizeof line, f)) {
    long long id = 0;
    if (std::sscanf(line, "committed %lld", &id) == 1) ids.push_back(id);
  }
  return ids;
}

int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

class CrashTest : public BackendTest {
 protected:
  // Kills the writer after `after` commits; checks what survived.
  void KillAndCheck(const std::string& mode, size_t after) {
    store_.reset();
    Child c = Spawn(db_->target(), mode, 1000000);
    ASSERT_GT(c.pid, 0);
    std::vector<int64_t> committed = ReadCommitted(c.out, after);
    ASSERT_EQ(committed.size(), after) << "the writer stopped early";
    ASSERT_EQ(kill(c.pid, SIGKILL), 0);
    int status = WaitExit(c.pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    std::fclose(c.out);

    auto s = Store::Open(db_->target());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    auto rep = (*s)->Verify();
    ASSERT_TRUE(rep.ok()) << rep.error().ToString();
    EXPECT_TRUE(rep->ok()) << (rep->problems.empty() ? "" : rep->problems[0].message);
    EXPECT_GE(rep->records, committed.back());
    for (int64_t id : committed)
      EXPECT_TRUE((*s)->GetRecord(id).ok()) << id;
    if (mode == "import") {
      // Each import's register batch is all or nothing.
      EXPECT_EQ(*(*s)->CounterpartyCount() % 2000, 0);
      EXPECT_GE(*(*s)->CounterpartyCount(), static_cast<int64_t>(2000 * committed.size()));
    }
    // And the store still takes writes, chained after what survived.
    RecordInput r;
    r.kind = "assessment";
    auto next = (*s)->Append(r);
    ASSERT_TRUE(next.ok()) << next.error().ToString();
    EXPECT_EQ(next->id, rep->records + 1);
    EXPECT_TRUE((*s)->Verify()->ok());
  }
};

TEST_P(CrashTest, KillDuringRecordAppendsLosesNothingCommitted) { KillAndCheck("append", 150); }

TEST_P(CrashTest, KillDuringBatchAppendsLosesNothingCommitted) { KillAndCheck("batch", 20); }

TEST_P(CrashTest, KillDuringAnImportLeavesTheStoreConsistent) { KillAndCheck("import", 3); }

TEST_P(CrashTest, TwoProcessesAppendingAtOnceCorruptNothing) {
  store_.reset();
  Child a = Spawn(db_->target(), "append", 150);
  Child b = Spawn(db_->target(), "batch", 6);
  ASSERT_GT(a.pid, 0);
  ASSERT_GT(b.pid, 0);
  auto ia = ReadCommitted(a.out, 1000);
  auto ib = ReadCommitted(b.out, 1000);
  int sa = WaitExit(a.pid), sb = WaitExit(b.pid);
  std::fclose(a.out);
  std::fclose(b.out);
  EXPECT_TRUE(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
  EXPECT_TRUE(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
  EXPECT_EQ(ia.size(), 150u);
  EXPECT_EQ(ib.size(), 6u);
  auto s = Store::Open(db_->target());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*(*s)->RecordCount(), 150 + 6 * 25);
  auto rep = (*s)->Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok()) << (rep->problems.empty() ? "" : rep->problems[0].message);
}

DUALUSE_INSTANTIATE_BACKENDS(CrashTest);

}  // namespace
}  // namespace dualuse::store
