// The records a request rests on: classification records behind an item's
// control_entries / cyber_surveillance, and the due-diligence record behind
// the request's knowledge (schemas dualuse.classification/1 and
// dualuse.due-diligence/1, resolved by classify/integration.h before the
// rules run). Each gets an information finding that names the record and its
// SHA-256, so the determination shows what it was based on (Article 27 of
// Regulation (EU) 2021/821: records of the export). The provision cited is
// taken from data/law/regimes.json:
//   classification outcome "listed"           -> listed_export (2021/821: Art 3(1))
//   any other classification outcome          -> non_listed_basis (Art 3(2): Arts 4, 5, 9, 10)
//   due diligence "aware" / "not_aware"       -> cyber_catch_all_aware (Art 5(2): "aware,
//                                                according to its due diligence findings")
//   due diligence "suspect"                   -> cyber_catch_all_suspicion (Art 5(3))
// For concerns outside Article 5 (no internal_repression / human_rights) the
// general catch-all provisions (catch_all_aware, catch_all_suspicion) are
// cited instead; a regime without the provision falls back to
// non_listed_basis, then listed_export.
#include "rules/engine_impl.h"

namespace dualuse::rules {

namespace {

const Cite* First(const Context& c, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) {
    if (const Cite* cite = c.Get(k)) return cite;
  }
  return nullptr;
}

void CiteClassification(const Context& c, const Item& item, const ClassificationCitation& cc,
                        Out& out) {
  const Cite* cite = cc.outcome == "listed" ? First(c, {"listed_export"})
                                            : First(c, {"non_listed_basis", "listed_export"});
  auto or_none = [](const std::string& s) { return s.empty() ? std::string("none") : s; };
  std::string summary =
      c.T("record.classification",
          {{"id", cc.id},
           {"tree", cc.tree},
           {"version", cc.tree_version},
           {"annex", or_none(cc.annex_version)},
           {"outcome", cc.outcome},
           {"entries", or_none(Join(cc.entries))},
           {"cyber", cc.cyber_surveillance ? (*cc.cyber_surveillance ? "yes" : "no") : "none"},
           {"who", or_none(cc.who)},
           {"when", or_none(cc.when)},
           {"sha256", or_none(cc.record_sha256)}});
  Finding& f = out.Add(kClassificationRecordRule, cite->basis, Effect::kInformation,
                       std::move(summary), cite->verification);
  f.item = item.id;
  f.record = RecordRef{"classification", cc.id, cc.record_sha256};
}

void CiteDueDiligence(const Context& c, const DueDiligenceCitation& dd, Out& out) {
  bool art5 = dd.concerns.empty();
  for (const std::string& k : dd.concerns)
    art5 = art5 || k == "internal_repression" || k == "human_rights";
  const Cite* cite = nullptr;
  if (dd.conclusion == "suspect") {
    cite = art5 ? First(c, {"cyber_catch_all_suspicion", "non_listed_basis", "listed_export"})
                : First(c, {"catch_all_suspicion", "non_listed_basis", "listed_export"});
  } else {
    cite = art5 ? First(c, {"cyber_catch_all_aware", "non_listed_basis", "listed_export"})
                : First(c, {"catch_all_aware", "non_listed_basis", "listed_export"});
  }
  auto or_none = [](const std::string& s) { return s.empty() ? std::string("none") : s; };
  std::string summary =
      c.T("record.due_diligence",
          {{"reference", or_none(dd.reference)},
           {"date", or_none(dd.date)},
           {"prepared_by", or_none(dd.prepared_by)},
           {"conclusion", dd.conclusion},
           {"concerns", or_none(Join(dd.concerns))},
           {"meaning", c.T(dd.conclusion == "aware"     ? "record.due_diligence_aware"
                           : dd.conclusion == "suspect" ? "record.due_diligence_suspect"
                                                        : "record.due_diligence_none")},
           {"sha256", dd.record_sha256}});
  out.Add(kDueDiligenceRecordRule, cite->basis, Effect::kInformation, std::move(summary),
          cite->verification)
      .record = RecordRef{"due_diligence", dd.reference, dd.record_sha256};
}

}  // namespace

void RuleRecords(const Context& c, Out& out) {
  for (const ItemInfo& it : c.items) {
    for (const ClassificationCitation& cc : it.item->classification_records) {
      CiteClassification(c, *it.item, cc, out);
    }
  }
  if (c.req->due_diligence) CiteDueDiligence(c, *c.req->due_diligence, out);
}

}  // namespace dualuse::rules
