// The message catalogue: every text dualuse generates for a reader, in each
// language it speaks, as data (data/messages/<lang>.json). A message is an
// ICU MessageFormat pattern with named placeholders ("{entries}",
// "{count, plural, one {is} other {are}}"); numbers and dates are formatted
// by the language's locale. Codes, rule ids and citations' machine fields are
// not messages: they stay as they are in every language.
#ifndef DUALUSE_MESSAGES_CATALOGUE_H_
#define DUALUSE_MESSAGES_CATALOGUE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/date.h"
#include "dualuse/base/result.h"

namespace dualuse::messages {

// The language every catalogue must be complete against, and the default.
inline constexpr const char* kDefaultLang = "en";

// One named value for a placeholder.
struct Arg {
  enum class Kind { kText, kNumber, kDate };
  Arg(std::string n, std::string v) : name(std::move(n)), text(std::move(v)) {}
  Arg(std::string n, const char* v) : name(std::move(n)), text(v) {}
  Arg(std::string n, int v) : name(std::move(n)), kind(Kind::kNumber), number(v) {}
  Arg(std::string n, long v) : name(std::move(n)), kind(Kind::kNumber), number(v) {}
  Arg(std::string n, unsigned long v)
      : name(std::move(n)), kind(Kind::kNumber), number(static_cast<int64_t>(v)) {}
  Arg(std::string n, const Date& v) : name(std::move(n)), kind(Kind::kDate), date(v) {}

  std::string name;
  Kind kind = Kind::kText;
  std::string text;
  int64_t number = 0;
  Date date;
};
using Args = std::vector<Arg>;

class Catalogue {
 public:
  // Reads every <lang>.json of `dir` ({"lang": ..., "notes": [...],
  // "messages": {id: pattern}}). Errors name file, message id and what is
  // wrong (kDataLoss): unreadable JSON, a pattern ICU cannot parse, no en.json.
  static Result<std::unique_ptr<Catalogue>> Load(const std::string& dir);
  // The catalogue of ResourcePath("messages"), loaded once per process.
  static Result<const Catalogue*> Default();

  // The message `id` in `lang` with `args` filled in. An unknown language
  // falls back to en; an id missing from `lang` falls back to en; an id
  // unknown to en yields the id itself (the completeness test prevents both).
  // Patterns of plain text and "{name}" placeholders given text values are
  // filled by substitution; everything else by icu::MessageFormat.
  std::string Format(std::string_view lang, std::string_view id, const Args& args = {}) const;
  // Format through icu::MessageFormat always: the slow reference twin of
  // Format's substitution path (catalogue_test.cc compares them).
  std::string FormatWithIcu(std::string_view lang, std::string_view id,
                            const Args& args = {}) const;

  // "en", "nl", ...
  std::vector<std::string> Languages() const;
  bool Speaks(std::string_view lang) const;
  // Message ids of `lang`, sorted; empty for an unknown language.
  std::vector<std::string> Ids(std::string_view lang) const;
  // The raw pattern, "" when absent.
  std::string Pattern(std::string_view lang, std::string_view id) const;
  // The placeholder names a pattern uses.
  std::set<std::string> Placeholders(std::string_view lang, std::string_view id) const;

  struct Impl;
  ~Catalogue();

 private:
  explicit Catalogue(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The language of `tag` ("nl", "nl-NL", "nl_BE.UTF-8", "en-GB") if the
// catalogue speaks it, by its primary subtag; "" otherwise.
std::string LangOfTag(std::string_view tag);

// The reader's language from an HTTP Accept-Language header (RFC 9110
// section 12.5.4): the spoken language of highest q-value, ties in header
// order; kDefaultLang when none is spoken or the header is empty.
std::string LangFromAcceptLanguage(std::string_view header);

// The reader's language from the environment (POSIX: LC_ALL, then
// LC_MESSAGES, then LANG): "nl" for a value starting with nl, else kDefaultLang.
std::string LangFromEnvironment();

}  // namespace dualuse::messages

#endif  // DUALUSE_MESSAGES_CATALOGUE_H_
