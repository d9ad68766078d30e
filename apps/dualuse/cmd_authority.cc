// dualuse authority: the licensing authority's side.
//   authority criteria                      the checklist (Art 15, CP 2008/944/CFSP) as JSON
//   authority file FILING.json|-            file an application or notification
//   authority list                          filings and their state
//   authority case APP-ID [--as-of D]       the case file incl. matching prior denials
//   authority assess FILE|-                 record the officer's criteria assessment
//   authority consult FILE|-                record a consultation (Art 16(2))
//   authority decide FILE|- [--letter F] [--pdf F]   decide; writes the letter
//   authority letter DEC-ID [--out F] [--pdf F]      the decision letter (HTML, PDF)
//   authority book FILE|-                   book an export against a licence
//   authority licences [--status S] [--holder H] [--destination CC] [--type T]
//                      [--entry E] [--case-id ID] [--as-of D]   the licence register
//   authority denials export|import|list    exchange denials (docs/denials-schema.md)
//   authority report --year Y [--format csv|html|json] [--out F]   Art 26 report
// Records go to the store (--db, default <data-dir>/dualuse.db).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command.h"
#include "dualuse/authority/api.h"
#include "dualuse/authority/authority.h"
#include "dualuse/authority/codec.h"
#include "dualuse/authority/store_repository.h"
#include "dualuse/messages/catalogue.h"
#include "dualuse/store/store.h"

extern char** environ;

namespace dualuse::cli {
namespace {

using namespace dualuse::authority;

struct AuthorityCli {
  CommonOptions common;
  std::string db;
  std::string actor;
  std::string code = "NL";
  std::string name = "Competent authority";
  std::string criteria;  // criteria.json path ("" = bundled)
  // Per-subcommand arguments.
  std::string input;
  std::string id;
  std::string out;
  std::string letter;
  std::string pdf;
  std::string lang;  // of the letter ("" = from the environment)
  std::string as_of;
  int year = 0;
  std::string format = "csv";
  // authority licences: the register's filters (ParseLicenceQuery).
  std::string status, holder, destination, type, entry, case_id;
};

Result<std::string> ReadInput(const std::string& path) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot read the file");
  ss << in.rdbuf();
  return ss.str();
}

std::string InputName(const std::string& path) { return path == "-" ? "<stdin>" : path; }

Status WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return Status::Ok();
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Internal(path + ": cannot write");
    out << text;
    if (!out.flush()) return Status::Internal(path + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::Internal(path + ": " + ec.message());
  return Status::Ok();
}

// Renders `html` to PDF with Debian's chromium (headless), if installed.
Status HtmlToPdf(const std::string& html, const std::string& pdf) {
  std::string dir =
      (std::filesystem::temp_directory_path() / ("dualuse-letter-" + std::to_string(getpid())))
          .string();
  std::filesystem::create_directories(dir);
  std::string src = dir + "/letter.html";
  DU_RETURN_IF_ERROR(WriteOutput(src, html));
  std::string abs_pdf = std::filesystem::absolute(pdf).string();
  std::string print_arg = "--print-to-pdf=" + abs_pdf;
  std::string profile = "--user-data-dir=" + dir + "/profile";
  std::string url = "file://" + src;
  const char* argv[] = {"timeout",
                        "120",
                        "chromium",
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-pdf-header-footer",
                        profile.c_str(),
                        print_arg.c_str(),
                        url.c_str(),
                        nullptr};
  pid_t pid;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawnp(&pid, "timeout", &fa, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return Status::Unavailable("cannot start chromium to print the PDF");
  int status = 0;
  waitpid(pid, &status, 0);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !std::filesystem::exists(abs_pdf)) {
    return Status::Unavailable(
        "chromium could not print the PDF (is the Debian package chromium installed?)");
  }
  return Status::Ok();
}

struct AuthorityCliContext {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<StoreRepository> repo;
  std::unique_ptr<Authority> authority;
  std::string actor;
};

Result<AuthorityCliContext> Open(const AuthorityCli& o) {
  AuthorityCliContext s;
  DU_ASSIGN_OR_RETURN(
      s.store,
      store::Store::Open(o.db.empty() ? store::Store::DefaultPath(DataDir(o.common)) : o.db));
  DU_ASSIGN_OR_RETURN(auto cat, CriteriaCatalogue::Load(o.criteria));
  s.repo = std::make_unique<StoreRepository>(s.store.get());
  AuthorityOptions opts;
  opts.authority_code = o.code;
  opts.authority_name = o.name;
  s.authority = std::make_unique<Authority>(s.repo.get(), cat, opts);
  s.actor = o.actor;
  if (s.actor.empty()) {
    const char* user = std::getenv("USER");
    s.actor = std::string("cli:") + (user && *user ? user : "unknown");
  }
  return s;
}

Result<Date> AsOf(const std::string& text, const char* option) {
  if (text.empty()) return Date::Today();
  auto d = Date::Parse(text);
  if (!d)
    return Status::InvalidArgument(std::string(option) + ": \"" + text + "\" is not YYYY-MM-DD");
  return *d;
}

Status WriteLetter(const Authority& a, const std::string& decision_id, const std::string& html_out,
                   const std::string& pdf_out, const std::string& lang) {
  DU_ASSIGN_OR_RETURN(
      std::string html,
      a.DecisionLetter(decision_id, lang.empty() ? messages::LangFromEnvironment() : lang));
  if (!html_out.empty()) DU_RETURN_IF_ERROR(WriteOutput(html_out, html));
  if (!pdf_out.empty()) DU_RETURN_IF_ERROR(HtmlToPdf(html, pdf_out));
  if (html_out.empty() && pdf_out.empty()) return WriteOutput("-", html);
  return Status::Ok();
}

void Println(const std::string& s) { std::printf("%s\n", s.c_str()); }

}  // namespace

void RegisterAuthority(CLI::App& app) {
  auto o = std::make_shared<AuthorityCli>();
  auto* cmd = app.add_subcommand(
      "authority", "The licensing authority: filings, decisions, licences, denials, report");
  cmd->require_subcommand(1);
  AddCommonOptions(cmd, &o->common);
  cmd->add_option("--db", o->db,
                  "Store: SQLite path or postgresql:// URL (default <data-dir>/dualuse.db)");
  cmd->add_option("--actor", o->actor, "Who acts (default cli:$USER)");
  cmd->add_option("--authority-code", o->code, "Member State code of this authority (default NL)");
  cmd->add_option("--authority-name", o->name, "Name printed on letters and reports");
  cmd->add_option("--criteria", o->criteria, "criteria.json (default: the bundled law data)");

  auto* criteria = cmd->add_subcommand(
      "criteria", "Print an assessment template: every criterion with its text and source");
  SetAction(criteria, [o] {
    DU_ASSIGN_OR_RETURN(auto cat, CriteriaCatalogue::Load(o->criteria));
    nlohmann::json answers = nlohmann::json::array();
    for (const auto& c : cat->criteria()) {
      answers.push_back({{"criterion", c.id},
                         {"group", c.group},
                         {"title", c.title},
                         {"text", c.text},
                         {"source", c.source},
                         {"verification", c.verification},
                         {"finding", "no_concern | concern | clear_risk | not_applicable"},
                         {"reasoning", ""}});
    }
    nlohmann::json doc = {
        {"application_id", ""}, {"officer", ""}, {"date", ""}, {"answers", answers}};
    return WriteOutput("-", doc.dump(2) + "\n");
  });

  auto* file = cmd->add_subcommand(
      "file", "File an application or notification (dualuse.authority-filing/1)");
  file->add_option("FILING", o->input, "Filing JSON, or - for stdin")->required();
  SetAction(file, [o] {
    DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o->input));
    DU_ASSIGN_OR_RETURN(Application app, ApplicationFromFiling(text, InputName(o->input)));
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(Application filed, s.authority->File(std::move(app), s.actor));
    Println(ToJson(filed));
    return Status::Ok();
  });

  auto* list = cmd->add_subcommand("list", "List filings");
  SetAction(list, [o] {
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(auto apps, s.authority->Applications());
    for (const auto& a : apps) {
      std::printf("%s\t%s\t%s\t%s\t%s\n", a.id.c_str(), FilingKindName(a.kind),
                  a.filed_on.ToString().c_str(), a.destination.c_str(), a.exporter_name.c_str());
    }
    return Status::Ok();
  });

  auto* casecmd = cmd->add_subcommand("case", "Show the case file of a filing");
  casecmd->add_option("APP_ID", o->id, "Filing id, e.g. APP-1")->required();
  SetAction(casecmd, [o] {
    DU_ASSIGN_OR_RETURN(Date as_of, AsOf(o->common.as_of, "--as-of"));
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(CaseFile c, s.authority->Case(o->id, as_of));
    return WriteOutput("-", CaseFileToJson(c));
  });

  auto* assess = cmd->add_subcommand("assess", "Record the criteria assessment");
  assess->add_option("FILE", o->input, "Assessment JSON, or -")->required();
  SetAction(assess, [o] {
    DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o->input));
    DU_ASSIGN_OR_RETURN(CriteriaAssessment a, AssessmentFromJson(text, InputName(o->input)));
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    if (a.officer.empty()) a.officer = s.actor;
    Status st = s.authority->Assess(a, s.actor);
    if (!st.ok()) return st.WithPrefix(InputName(o->input));
    Println(ToJson(a));
    return Status::Ok();
  });

  auto* consult = cmd->add_subcommand("consult", "Record a consultation on a denial (Art 16(2))");
  consult->add_option("FILE", o->input, "Consultation JSON, or -")->required();
  SetAction(consult, [o] {
    DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o->input));
    DU_ASSIGN_OR_RETURN(Consultation c, ConsultationFromJson(text, InputName(o->input)));
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(Consultation rec, s.authority->Consult(std::move(c), s.actor));
    Println(ToJson(rec));
    return Status::Ok();
  });

  auto* decide = cmd->add_subcommand(
      "decide", "Decide a filing (grant, deny, impose_requirement, no_requirement)");
  decide->add_option("FILE", o->input, "Decision JSON, or -")->required();
  decide->add_option("--letter", o->letter, "Write the decision letter (HTML) here");
  decide->add_option("--pdf", o->pdf, "Also print the letter to PDF (needs chromium)");
  SetAction(decide, [o] {
    DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o->input));
    DU_ASSIGN_OR_RETURN(Decision d, DecisionFromJson(text, InputName(o->input)));
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    auto decided = s.authority->Decide(std::move(d), s.actor);
    if (!decided) return decided.error().WithPrefix(InputName(o->input));
    Println(ToJson(*decided));
    if (!o->letter.empty() || !o->pdf.empty()) {
      return WriteLetter(*s.authority, decided->id, o->letter, o->pdf, o->lang);
    }
    return Status::Ok();
  });

  auto* letter = cmd->add_subcommand("letter", "Print the letter of a decision");
  letter->add_option("DECISION_ID", o->id, "e.g. DEC-1")->required();
  letter->add_option("--out", o->out, "HTML file (default stdout)");
  letter->add_option("--pdf", o->pdf, "PDF file (needs chromium)");
  letter
      ->add_option("--lang", o->lang,
                   "Language of the letter: en or nl (default: nl when LC_ALL, LC_MESSAGES or "
                   "LANG starts with nl, else en)")
      ->check(CLI::IsMember({"en", "nl"}));
  SetAction(letter, [o] {
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    return WriteLetter(*s.authority, o->id, o->out, o->pdf, o->lang);
  });

  auto* book = cmd->add_subcommand("book", "Book an export against a licence");
  book->add_option("FILE", o->input, "Booking JSON, or -")->required();
  SetAction(book, [o] {
    DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o->input));
    DU_ASSIGN_OR_RETURN(Booking b, BookingFromJson(text, InputName(o->input)));
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(Booking rec, s.authority->Book(std::move(b), s.actor));
    Println(ToJson(rec));
    return Status::Ok();
  });

  auto* denials =
      cmd->add_subcommand("denials", "Exchange denials with other authorities (Art 16)");
  denials->require_subcommand(1);
  auto* dexport = denials->add_subcommand("export", "Write all denials as dualuse.denials/1");
  dexport->add_option("--out", o->out, "File (default stdout)");
  SetAction(dexport, [o] {
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(std::string json, s.authority->ExportDenials(Date::Today()));
    return WriteOutput(o->out, json);
  });
  auto* dimport =
      denials->add_subcommand("import", "Record denials received from another authority");
  dimport->add_option("FILE", o->input, "dualuse.denials/1 JSON, or -")->required();
  SetAction(dimport, [o] {
    DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o->input));
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(int n, s.authority->ImportDenials(text, InputName(o->input), s.actor));
    std::printf("imported %d new denial(s)\n", n);
    return Status::Ok();
  });
  auto* dlist = denials->add_subcommand("list", "List denials (in force on --as-of)");
  SetAction(dlist, [o] {
    DU_ASSIGN_OR_RETURN(Date as_of, AsOf(o->common.as_of, "--as-of"));
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(auto all, s.authority->Denials());
    for (const auto& d : all) {
      std::string entries;
      for (const auto& e : d.entries)
        entries += (entries.empty() ? "" : ",") + e;
      std::printf("%s\t%s\t%s\t%s\t%s\t%s\n", d.id.c_str(),
                  d.InForce(as_of) ? "in_force" : "not_in_force", d.destination.c_str(),
                  entries.c_str(), d.end_user_name.c_str(), d.issued_on.ToString().c_str());
    }
    return Status::Ok();
  });

  auto* licences = cmd->add_subcommand(
      "licences",
      "The licence register: statuses, amounts used, filters (as GET /authority/licences)");
  licences->add_option("--status", o->status,
                       "active, exhausted, expired, not_yet_valid (several: comma-separated)");
  licences->add_option("--holder", o->holder, "Part of the holder's name");
  licences->add_option("--destination", o->destination, "ISO 3166-1 alpha-2 code");
  licences->add_option("--type", o->type, "individual or global");
  licences->add_option("--entry", o->entry, "Annex I entry or category, e.g. 5A001 or 5A");
  licences->add_option("--case-id", o->case_id, "The application the licence was granted on");
  SetAction(licences, [o] {
    std::multimap<std::string, std::string> params;
    for (const auto& [key, value] :
         {std::pair<const char*, const std::string*>{"status", &o->status},
          {"holder", &o->holder},
          {"destination", &o->destination},
          {"type", &o->type},
          {"entry", &o->entry},
          {"case_id", &o->case_id},
          {"as_of", &o->common.as_of}}) {
      if (!value->empty()) params.emplace(key, *value);
    }
    DU_ASSIGN_OR_RETURN(LicenceQuery q, ParseLicenceQuery(params));
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(auto entries, s.authority->Licences(q.as_of, q.filter));
    return WriteOutput("-", LicencesToJson(entries, q.as_of) + "\n");
  });

  auto* report = cmd->add_subcommand("report", "Transparency report for a year (Art 26)");
  report->add_option("--year", o->year, "Calendar year")->required();
  report->add_option("--format", o->format, "csv (default), html or json")
      ->check(CLI::IsMember({"csv", "html", "json"}));
  report->add_option("--out", o->out, "File (default stdout)");
  SetAction(report, [o] {
    DU_ASSIGN_OR_RETURN(AuthorityCliContext s, Open(*o));
    DU_ASSIGN_OR_RETURN(TransparencyReport r, s.authority->Report(o->year));
    if (o->format == "html") return WriteOutput(o->out, ReportToHtml(r, o->name));
    if (o->format == "csv") return WriteOutput(o->out, ReportToCsv(r));
    std::string out = ReportToJson(r) + "\n";
    return WriteOutput(o->out, out);
  });

  // Options of `authority` (--db, --data-dir, --as-of, ...) may follow the subcommand.
  for (auto* sub : cmd->get_subcommands({})) {
    sub->fallthrough();
    for (auto* leaf : sub->get_subcommands({}))
      leaf->fallthrough();
  }
}

}  // namespace dualuse::cli
