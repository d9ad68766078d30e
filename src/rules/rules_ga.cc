// R9: Union general export authorisations (2021/821 Art 12(1)(d) and Annex II
// Sections A-H; 428/2009 Art 9(1) and Annexes IIa-IIf). An authorisation is
// usable for an item when the item is within its Part 1, not excluded (Annex
// II Section I, Annex IV), the destination is in its Part 2 on the date, and
// its Part 3 conditions hold: informed of or aware of an Art 4(1) use bars it.
#include <algorithm>

#include "rules/engine_impl.h"

namespace dualuse::rules {

namespace {

bool DestinationOk(const law::GeneralAuthorisation& g, const std::string& dest, const Date& d) {
  if (g.all_destinations) {
    return std::find(g.destinations_all_except.begin(), g.destinations_all_except.end(), dest) ==
           g.destinations_all_except.end();
  }
  return std::any_of(g.destinations.begin(), g.destinations.end(), [&](const law::DatedCountry& c) {
    return c.country == dest && c.period.Contains(d);
  });
}

// Why `code` is not covered, or "" when it is.
std::string CodeCoverage(const Context& c, const law::GeneralAuthorisation& g,
                         const std::string& code) {
  const law::ItemScope& s = g.items;
  bool in = s.all_annex_i || std::any_of(s.entries.begin(), s.entries.end(),
                                         [&](const auto& e) { return law::CodeWithin(code, e); });
  if (!in) return c.T("ga.not_in_items", {{"code", code}});
  for (const std::string& e : s.exclude) {
    if (law::CodeWithin(code, e) || law::CodeWithin(e, code))
      return c.T("ga.excluded", {{"code", code}, {"entry", e}});
  }
  if (s.except_annex_ii_section_i) {
    for (const law::CodeList* l : c.view->section_i) {
      if (!l->period.Contains(c.as_of)) continue;
      if (InCodeList(*l, code) || ListHasDescendant(*l, code)) {
        return c.T("ga.section_i", {{"code", code}, {"annex", l->annex}});
      }
      if (l->include_annex_iv) {
        for (const law::CodeList* iv : c.view->annex_iv) {
          if (iv->period.Contains(c.as_of) &&
              (InCodeList(*iv, code) || ListHasDescendant(*iv, code))) {
            return c.T("ga.annex_iv", {{"code", code}, {"annex", l->annex}});
          }
        }
      }
    }
  }
  return "";
}

// The parts of a general authorisation's record that decide its use and
// stand at level K (items, destinations, evaluated conditions, the Section I
// and Annex IV lists it excludes): a K fact must not decide silently.
std::vector<std::string> Unverified(const Context& c, const law::GeneralAuthorisation& g) {
  std::vector<std::string> out;
  using law::Verification;
  if (g.prov.verification == Verification::kUnverified) out.push_back(c.T("ga.its_items"));
  if (g.destinations_prov.verification == Verification::kUnverified) {
    out.push_back(c.T("ga.its_destinations"));
  }
  for (const law::Condition& cond : g.conditions) {
    if (cond.id != "not_to_free_zone" && cond.prov.verification == Verification::kUnverified) {
      out.push_back(c.T("ga.condition", {{"condition", cond.id}}));
    }
  }
  if (g.items.except_annex_ii_section_i) {
    for (const law::CodeList* l : c.view->section_i) {
      if (!l->period.Contains(c.as_of)) continue;
      if (l->prov.verification == Verification::kUnverified) out.push_back(l->annex);
      if (!l->include_annex_iv) continue;
      for (const law::CodeList* iv : c.view->annex_iv) {
        if (iv->period.Contains(c.as_of) && iv->prov.verification == Verification::kUnverified) {
          out.push_back(iv->annex);
        }
      }
    }
  }
  return out;
}

}  // namespace

void RuleGeneralAuthorisations(const Context& c, Out& out) {
  if (!c.IsExport()) return;
  std::vector<const ItemInfo*> listed;
  for (const ItemInfo& it : c.items) {
    if (it.listed()) listed.push_back(&it);
  }
  if (listed.empty()) return;
  const Cite* ga_cite = c.Get("general_authorisation");
  const AssessmentRequest& r = *c.req;
  const char* activity = ActivityName(c.activity);
  std::vector<const law::GeneralAuthorisation*> gas;
  for (const law::GeneralAuthorisation* g : c.view->gas) {
    if (g->period.Contains(c.as_of)) gas.push_back(g);
  }
  std::sort(gas.begin(), gas.end(), [](auto* a, auto* b) { return a->id < b->id; });
  out.covered_by.assign(c.items.size(), "");
  for (const law::GeneralAuthorisation* g : gas) {
    GeneralAuthorisationResult res;
    res.id = g->id;
    res.title = g->title;
    res.basis = (ga_cite ? ga_cite->basis : c.regime->act) + " and " + g->annex;
    std::vector<std::string> blocking;
    if (std::find(g->activities.begin(), g->activities.end(), activity) == g->activities.end()) {
      blocking.push_back(c.T("ga.not_activity", {{"activity", activity}}));
    }
    if (!DestinationOk(*g, r.destination, c.as_of)) {
      blocking.push_back(c.T("ga.not_destination",
                             {{"country", r.destination}, {"ga", g->id}, {"as_of", c.as_of}}));
    }
    for (const law::Condition& cond : g->conditions) {
      if (cond.id == "not_informed_or_aware_art_4_1") {
        if (c.HasArt41Use(r.knowledge.informed)) {
          blocking.push_back(c.T("ga.informed_catch_all"));
        } else if (c.HasArt41Use(r.knowledge.aware)) {
          blocking.push_back(c.T("ga.aware_catch_all"));
        }
      } else if (cond.id == "requires_icp") {
        if (!r.exporter.has_icp.value_or(false)) {
          blocking.push_back(c.T("ga.requires_icp"));
        }
      } else if (cond.id == "exporter_established_in_member_state") {
        if (!c.exporter_is_member) {
          blocking.push_back(c.T("ga.established_in_member_state"));
        }
      } else if (cond.id == "circumstance") {
        if (std::find(r.export_circumstances.begin(), r.export_circumstances.end(), cond.value) ==
            r.export_circumstances.end()) {
          blocking.push_back(c.T("ga.circumstance", {{"circumstance", cond.value}}));
        }
      }
      res.conditions.push_back(cond.text);
    }
    std::vector<std::string> uncovered;
    for (const ItemInfo* it : listed) {
      std::string why;
      if (!g->items.kinds.empty() &&
          std::find(g->items.kinds.begin(), g->items.kinds.end(), ItemKindName(it->item->kind)) ==
              g->items.kinds.end()) {
        why = c.T("ga.item_kind", {{"item", it->item->id}, {"kind", ItemKindName(it->item->kind)}});
      }
      for (const std::string& code : it->annex_i) {
        if (!why.empty()) break;
        why = CodeCoverage(c, *g, code);
      }
      if (why.empty()) {
        res.items.push_back(it->item->id);
      } else {
        uncovered.push_back(why);
      }
    }
    if (blocking.empty() && !res.items.empty()) {
      res.applicable = true;
      std::string others;
      for (size_t i = 0; i < uncovered.size(); ++i)
        others += (i ? "; " : "") + uncovered[i];
      res.reason = c.T("ga.covers", {{"items", Join(res.items)},
                                     {"count", res.items.size()},
                                     {"country", r.destination},
                                     {"as_of", c.as_of},
                                     {"others", others.empty() ? "none" : others}});
      std::vector<std::string> unverified = Unverified(c, *g);
      if (!unverified.empty()) {
        out.Review(c.T("review.ga_unverified",
                       {{"ga", g->id}, {"parts", Join(unverified)}, {"annex", g->annex}}));
      }
      for (size_t i = 0; i < c.items.size(); ++i) {
        if (out.covered_by[i].empty() &&
            std::find(res.items.begin(), res.items.end(), c.items[i].item->id) != res.items.end()) {
          out.covered_by[i] = g->id;
        }
      }
    } else {
      res.items.clear();
      std::vector<std::string> all = blocking;
      if (blocking.empty() || uncovered.size() == listed.size()) {
        all.insert(all.end(), uncovered.begin(), uncovered.end());
      }
      for (size_t i = 0; i < all.size(); ++i)
        res.reason += (i ? "; " : "") + all[i];
      res.conditions.clear();
    }
    out.d.authorisations.push_back(std::move(res));
  }
  // Mark the Art 3(1) requirements a general authorisation meets.
  const Cite* listed_cite = c.Get("listed_export");
  for (Finding& f : out.d.findings) {
    if (f.rule != listed_cite->rule || f.effect != Effect::kLicenceRequired) continue;
    for (size_t i = 0; i < c.items.size(); ++i) {
      if (c.items[i].item->id == f.item && !out.covered_by[i].empty()) {
        f.covered_by = out.covered_by[i];
      }
    }
  }
}

}  // namespace dualuse::rules
