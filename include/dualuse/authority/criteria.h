// The criteria checklist: Art 15(1) of Regulation (EU) 2021/821 and the eight
// criteria of Council Common Position 2008/944/CFSP, loaded from
// data/law/authority/criteria.json (texts, sources, verification levels), and
// the citations a decision letter uses. Law as data: nothing here names a
// criterion; the data says which criteria require a denial on a clear risk
// (e.g. criterion 2: clear risk of use for internal repression).
#ifndef DUALUSE_AUTHORITY_CRITERIA_H_
#define DUALUSE_AUTHORITY_CRITERIA_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/authority/types.h"
#include "dualuse/base/result.h"

namespace dualuse::authority {

// What a finding of kClearRisk on a criterion means for a grant.
enum class OnClearRisk {
  kDeny,            // a grant is impossible (CP criteria 1-4, Art 15(1))
  kConsiderDenial,  // the officer must weigh it; a grant stays possible (CP 5-8)
};

struct Criterion {
  std::string id;  // "cp-2008-944/criterion-2"
  std::string group;
  std::string title;
  std::string text;
  OnClearRisk on_clear_risk = OnClearRisk::kDeny;
  std::string source;
  std::string verification;  // "V", "S" or "K"
};

struct Citation {
  std::string text;  // English
  std::string source;
  std::string verification;
  std::map<std::string, std::string> texts;  // the text in other languages, by code ("nl")
  // The text in `lang`, English when there is none.
  const std::string& TextIn(const std::string& lang) const {
    auto it = texts.find(lang);
    return it == texts.end() ? text : it->second;
  }
};

// Immutable after Load.
class CriteriaCatalogue {
 public:
  // Default path: ResourcePath("law/authority/criteria.json").
  static Result<std::shared_ptr<const CriteriaCatalogue>> Load(const std::string& path = "");
  // Parses the file's content; `name` is used in error messages.
  static Result<std::shared_ptr<const CriteriaCatalogue>> Parse(std::string_view json,
                                                                const std::string& name);

  const std::vector<Criterion>& criteria() const { return criteria_; }
  const Criterion* Find(std::string_view id) const;
  // The citation under `key` ("deny", "grant_individual", ...); nullptr if absent.
  const Citation* FindCitation(std::string_view key) const;
  const std::map<std::string, Citation, std::less<>>& citations() const { return citations_; }

 private:
  std::vector<Criterion> criteria_;
  std::map<std::string, Citation, std::less<>> citations_;
};

// OK when `a` answers every criterion of the catalogue exactly once, names no
// unknown criterion and gives reasoning for each; otherwise InvalidArgument
// naming the first problem ("$.answers[3]: ..." or "criterion X not answered").
Status ValidateAssessment(const CriteriaAssessment& a, const CriteriaCatalogue& catalogue);

// The criteria answered kClearRisk whose data says a clear risk requires a
// denial, in catalogue order. A grant is refused while this is non-empty.
std::vector<std::string> MandatoryDenialCriteria(const CriteriaAssessment& a,
                                                 const CriteriaCatalogue& catalogue);

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_CRITERIA_H_
