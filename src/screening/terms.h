// Tunable name data (data/screening/*.json): legal forms, honorifics,
// stopwords, generic organisation words, abbreviations, number words.
#ifndef DUALUSE_SCREENING_TERMS_H_
#define DUALUSE_SCREENING_TERMS_H_

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "dualuse/base/result.h"

namespace dualuse::screening {

struct LegalForm {
  std::string canonical;
  std::string group;
};

struct NameTerms {
  // Legal-form phrases, as token sequences joined by ' ', -> form.
  std::unordered_map<std::string, LegalForm> legal_forms;
  size_t max_legal_form_tokens = 1;
  std::unordered_set<std::string> legal_form_first;  // first word of every phrase
  std::unordered_set<std::string> honorifics, stopwords, org_generic, object_prefixes;
  std::unordered_map<std::string, std::string> abbreviations;
  std::unordered_map<std::string, int> number_words;
  std::vector<std::string> patronymic_suffixes;
  // Publishers' conventions (name-terms.json): written phrases, lower case,
  // matched case-insensitively at a word start. A name ends before a
  // boilerplate phrase; the text after an alias marker is another name.
  std::vector<std::string> boilerplate, alias_markers;
  // Spelling classes (name-variants.json): a spelling -> the first spelling
  // of its class ("gim" -> "kim", "oleksii" -> "aleksandr"'s class head).
  std::unordered_map<std::string, std::string> spelling_class;
};

// Parses the JSON documents (legal-forms.json, name-terms.json and, when
// given, name-variants.json). kDataLoss with "<name>: <json path>:
// <expectation>" when malformed.
Result<NameTerms> ParseNameTerms(const std::string& legal_forms_json,
                                 const std::string& name_terms_json,
                                 const std::string& name_variants_json = "");

// Loaded once from ResourcePath("screening/..."); kFailedPrecondition when
// missing, kDataLoss when malformed. Thread-safe.
Result<const NameTerms*> DefaultNameTerms();

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_TERMS_H_
