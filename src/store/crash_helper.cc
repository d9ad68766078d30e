// A small process for the crash-safety tests (crash_test.cc): writes to a
// store in a loop and prints one line per committed transaction, flushed, so
// that the test can kill -9 it at any moment and check what survived.
//
//   dualuse_store_crash_helper TARGET append N   one record per transaction
//   dualuse_store_crash_helper TARGET batch N    N transactions of 25 records
//   dualuse_store_crash_helper TARGET import N   N imports: 2000 counterparties
//                                                and a list_import record each
// Output: "committed <last record id> <counterparties>" per transaction.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "dualuse/store/store.h"

int main(int argc, char** argv) {
  using namespace dualuse::store;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s TARGET append|batch|import N\n", argv[0]);
    return 2;
  }
  std::string target = argv[1], mode = argv[2];
  long n = std::atol(argv[3]);
  auto st = Store::Open(target);
  if (!st.ok()) {
    std::fprintf(stderr, "error: %s\n", st.error().ToString().c_str());
    return st.error().ExitCode();
  }
  Store& s = **st;
  std::string tag = std::to_string(getpid());
  for (long i = 0; i < n; ++i) {
    RecordInput r;
    r.kind = "assessment";
    r.actor = "helper-" + tag;
    r.subject = "PO-" + tag + "-" + std::to_string(i);
    r.inputs = "{\"i\":" + std::to_string(i) + "}";
    r.outputs = "{\"verdict\":\"no_licence_required\"}";
    int64_t last = 0;
    if (mode == "append") {
      auto rec = s.Append(r);
      if (!rec.ok()) {
        std::fprintf(stderr, "error: %s\n", rec.error().ToString().c_str());
        return 1;
      }
      last = rec->id;
    } else if (mode == "batch") {
      std::vector<RecordInput> batch(25, r);
      auto recs = s.AppendBatch(batch);
      if (!recs.ok()) {
        std::fprintf(stderr, "error: %s\n", recs.error().ToString().c_str());
        return 1;
      }
      last = recs->back().id;
    } else if (mode == "import") {
      std::vector<CounterpartyInput> parties;
      for (int k = 0; k < 2000; ++k) {
        parties.push_back(
            {"Imported Party " + tag + " " + std::to_string(i) + " " + std::to_string(k),
             {},
             "DE",
             "Organization",
             "",
             "[]"});
      }
      auto ups = s.UpsertCounterparties(parties);
      if (!ups.ok()) {
        std::fprintf(stderr, "error: %s\n", ups.error().ToString().c_str());
        return 1;
      }
      // A list_import record, as `dualuse lists import` writes one.
      const std::string date = "2026-01-0" + std::to_string(i % 9 + 1);
      RecordInput in;
      in.kind = kKindListImport;
      in.actor = "helper";
      in.subject = "test@" + date;
      in.inputs = "{\"list_id\":\"test\",\"date\":\"" + date + "\"}";
      in.outputs = "{\"imported\":true}";
      in.list_versions = "{\"test\":\"" + date + "\"}";
      auto rec = s.Append(in);
      if (!rec.ok()) {
        std::fprintf(stderr, "error: %s\n", rec.error().ToString().c_str());
        return 1;
      }
      last = rec->id;
    } else {
      std::fprintf(stderr, "error: unknown mode %s\n", mode.c_str());
      return 2;
    }
    std::printf("committed %lld\n", static_cast<long long>(last));
    std::fflush(stdout);
  }
  return 0;
}
