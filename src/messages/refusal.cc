// RefusalText: a refused request's message in the reader's language.
#include "dualuse/messages/refusal.h"

#include <algorithm>

namespace dualuse::messages {

const std::vector<std::string>& RefusalPhraseIds() {
  // Phrases of src/law/json_reader.cc, src/rules/codec.cc and
  // src/rules/engine.cc (Validate); the general ones last.
  static const std::vector<std::string> kIds = {
      "error.phrase.not_country",
      "error.phrase.not_annex_i_entry",
      "error.phrase.not_national",
      "error.phrase.no_regime",
      "error.phrase.expected_object",
      "error.phrase.expected_array",
      "error.phrase.expected_string",
      "error.phrase.expected_non_empty",
      "error.phrase.expected_bool",
      "error.phrase.expected_date",
      "error.phrase.expected_number_min",
      "error.phrase.expected_number",
      "error.phrase.expected_small_integer",
      "error.phrase.expected_one_of",
      "error.phrase.expected_item",
      "error.phrase.duplicate_item",
      "error.phrase.missing",
      "error.phrase.not_json",
      "error.phrase.expected_date_from",
      "error.phrase.got",
  };
  return kIds;
}

std::string RefusalText(const Catalogue& catalogue, std::string_view lang, std::string_view message,
                        std::string_view name) {
  if (lang == kDefaultLang || !catalogue.Speaks(lang)) return std::string(message);
  return catalogue.Format(lang, "error.request_refused",
                          {{"detail", RefusalDetail(catalogue, lang, message, name)}});
}

std::string RefusalDetail(const Catalogue& catalogue, std::string_view lang,
                          std::string_view message, std::string_view name) {
  if (lang == kDefaultLang || !catalogue.Speaks(lang)) return std::string(message);
  std::string detail(message);
  std::string prefix = std::string(name) + ": ";
  if (!name.empty() && detail.rfind(prefix, 0) == 0) detail.erase(0, prefix.size());
  // Only the part after the JSON path is prose; the path stays as it is.
  size_t start = 0;
  if (!detail.empty() && detail[0] == '$') {
    size_t colon = detail.find(": ");
    if (colon != std::string::npos) start = colon + 2;
  }
  std::string path = detail.substr(0, start);
  std::string prose = detail.substr(start);
  for (const std::string& id : RefusalPhraseIds()) {
    std::string en = catalogue.Pattern(kDefaultLang, id);
    std::string tr = catalogue.Pattern(lang, id);
    if (en.empty() || tr.empty()) continue;
    size_t at = prose.find(en);
    if (at != std::string::npos) prose.replace(at, en.size(), tr);
  }
  return path + prose;
}

}  // namespace dualuse::messages
