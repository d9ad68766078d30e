// dualuse compare --input FILE (docs/spec.md section 6): scores name pairs.
// Input CSV header schema,name1,name2 (more columns passed through); output
// the input columns plus score and match (at the engine's default threshold,
// or --threshold). --algorithm ofac scores as OFAC's Sanctions List Search
// does (emulation); --explain adds the explanation column.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "command.h"
#include "dualuse/screening/csv.h"
#include "dualuse/screening/engine.h"

namespace dualuse::cli {

namespace {

struct CompareOptions {
  std::string input;
  std::string algorithm = "dualuse";
  double threshold = screening::kDefaultMatchThreshold;
  bool explain = false;
};

Status Run(const CompareOptions& o) {
  if (o.input.empty()) return Status::InvalidArgument("compare: --input FILE is required");
  if (o.algorithm != "dualuse" && o.algorithm != "ofac")
    return Status::InvalidArgument("--algorithm: expected dualuse or ofac, got \"" + o.algorithm +
                                   "\"");
  if (o.threshold < 0 || o.threshold > 1)
    return Status::InvalidArgument("--threshold: expected a number in [0, 1]");
  std::ostringstream ss;
  const std::string name = o.input == "-" ? "<stdin>" : o.input;
  if (o.input == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(o.input, std::ios::binary);
    if (!in) return Status::InvalidArgument(name + ": cannot read the file");
    ss << in.rdbuf();
  }
  auto parsed = screening::ParseCsv(ss.str());
  if (!parsed) return Status::InvalidArgument(name + ": " + parsed.error().message());
  const auto& rows = *parsed;
  if (rows.empty())
    return Status::InvalidArgument(name + ": line 1: expected the header schema,name1,name2");
  int cs = -1, c1 = -1, c2 = -1;
  for (size_t i = 0; i < rows[0].size(); ++i) {
    if (rows[0][i] == "schema") cs = static_cast<int>(i);
    if (rows[0][i] == "name1") c1 = static_cast<int>(i);
    if (rows[0][i] == "name2") c2 = static_cast<int>(i);
  }
  if (cs < 0 || c1 < 0 || c2 < 0)
    return Status::InvalidArgument(name + ": line 1: expected the columns schema, name1 and name2");
  std::vector<lists::Schema> schemas;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() != rows[0].size())
      return Status::InvalidArgument(name + ": row " + std::to_string(r + 1) + ": expected " +
                                     std::to_string(rows[0].size()) + " fields, got " +
                                     std::to_string(row.size()));
    lists::Schema s;
    if (!lists::ParseSchema(row[cs], &s))
      return Status::InvalidArgument(name + ": row " + std::to_string(r + 1) +
                                     ", field schema: expected Person, Organization, Company, "
                                     "LegalEntity or Vessel, got \"" +
                                     row[cs] + "\"");
    schemas.push_back(s);
  }
  std::string out;
  for (size_t i = 0; i < rows[0].size(); ++i)
    out += screening::CsvField(rows[0][i]) + ",";
  out += o.explain ? "score,match,explanation\n" : "score,match\n";
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    std::vector<std::string> expl;
    double score = o.algorithm == "ofac" ? screening::OfacNameScore(row[c1], row[c2])
                                         : screening::CompareNames(schemas[r - 1], row[c1], row[c2],
                                                                   o.explain ? &expl : nullptr);
    for (const auto& f : row)
      out += screening::CsvField(f) + ",";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", score);
    out += std::string(buf) + "," + (score >= o.threshold ? "true" : "false");
    if (o.explain) {
      std::string e;
      for (const auto& x : expl)
        e += (e.empty() ? "" : "; ") + x;
      out += "," + screening::CsvField(e);
    }
    out += "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return Status::Ok();
}

}  // namespace

void RegisterCompare(CLI::App& app) {
  auto opts = std::make_shared<CompareOptions>();
  auto* cmd = app.add_subcommand("compare", "Score name pairs (CSV schema,name1,name2)");
  cmd->add_option("--input", opts->input, "CSV with header schema,name1,name2; - for stdin");
  cmd->add_option("--threshold", opts->threshold, "Match threshold (default 0.70)");
  cmd->add_option("--algorithm", opts->algorithm,
                  "dualuse (default) or ofac (OFAC tool emulation)");
  cmd->add_flag("--explain", opts->explain, "Add an explanation column");
  SetAction(cmd, [opts] { return Run(*opts); });
}

}  // namespace dualuse::cli
