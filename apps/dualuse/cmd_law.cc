// dualuse law validate | stats: checks the law data (data/law/) and reports
// how many facts are verified (V), from a secondary source (S) or unverified (K).
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "dualuse/controllist/control_list.h"
#include "dualuse/law/law_data.h"
#include "dualuse/rules/engine.h"

namespace dualuse::cli {

namespace {

struct LawOpts {
  std::string dir;        // data/law
  std::string annex_dir;  // data/law/annex-i
};

Status Validate(const LawOpts& o) {
  DU_ASSIGN_OR_RETURN(auto law, law::LawData::Load(o.dir));
  DU_ASSIGN_OR_RETURN(
      auto annex, controllist::ControlList::Load(
                      o.annex_dir.empty() && !o.dir.empty() ? o.dir + "/annex-i" : o.annex_dir));
  DU_ASSIGN_OR_RETURN(auto engine, rules::Engine::Create(law, annex));
  auto problems = engine->CheckLawCodes();
  if (!problems.empty()) {
    for (size_t i = 1; i < problems.size(); ++i) {
      std::fprintf(stderr, "error: %s\n", problems[i].c_str());
    }
    return Status::DataLoss(problems.front() +
                            (problems.size() > 1
                                 ? " (and " + std::to_string(problems.size() - 1) + " more above)"
                                 : ""));
  }
  const law::FactCounts& c = law->fact_counts();
  std::printf("law data %s: OK (%zu files, %d facts: %d V, %d S, %d K; Annex I %s)\n",
              law->version().c_str(), law->files().size(), c.total(), c.verified, c.secondary,
              c.unverified, annex->version().c_str());
  return Status::Ok();
}

Status Stats(const LawOpts& o) {
  DU_ASSIGN_OR_RETURN(auto law, law::LawData::Load(o.dir));
  std::printf("%-32s %6s %6s %6s %6s\n", "file", "V", "S", "K", "total");
  for (const auto& [file, c] : law->fact_counts_by_file()) {
    std::printf("%-32s %6d %6d %6d %6d\n", file.c_str(), c.verified, c.secondary, c.unverified,
                c.total());
  }
  const law::FactCounts& c = law->fact_counts();
  std::printf("%-32s %6d %6d %6d %6d\n", "all", c.verified, c.secondary, c.unverified, c.total());
  std::printf("version %s\n", law->version().c_str());
  return Status::Ok();
}

}  // namespace

void RegisterLaw(CLI::App& app) {
  auto* cmd = app.add_subcommand("law", "The law as data (data/law/): validate, stats");
  cmd->require_subcommand(1);
  auto o = std::make_shared<LawOpts>();
  auto* validate = cmd->add_subcommand(
      "validate", "Check data/law/: schema, sources, periods, country and Annex I codes");
  validate->add_option("--dir", o->dir, "Law data directory (default: the bundled data/law)");
  validate->add_option("--annex-dir", o->annex_dir, "Annex I directory (default: <dir>/annex-i)");
  SetAction(validate, [o] { return Validate(*o); });
  auto* stats = cmd->add_subcommand("stats", "Count facts per verification level (V, S, K)");
  stats->add_option("--dir", o->dir, "Law data directory (default: the bundled data/law)");
  SetAction(stats, [o] { return Stats(*o); });
}

}  // namespace dualuse::cli
