// Message catalogue: data/messages/<lang>.json through icu::MessageFormat.
#include "dualuse/messages/catalogue.h"

#include <unicode/calendar.h>
#include <unicode/fmtable.h>
#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dualuse/base/resources.h"

namespace dualuse::messages {

namespace {

// A pattern of literal text and plain "{name}" placeholders only (no
// apostrophe, no argument type, no plural or select): formatted by
// substitution, which gives what icu::MessageFormat gives for text values.
// Every other pattern, and any number or date value, goes through ICU.
struct SimplePattern {
  bool simple = false;
  std::vector<std::string> literals;  // literals.size() == names.size() + 1
  std::vector<std::string> names;
};

SimplePattern CompileSimple(const std::string& pattern) {
  SimplePattern sp;
  if (pattern.find('\'') != std::string::npos) return sp;
  std::string literal;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '}') return sp;
    if (c != '{') {
      literal += c;
      continue;
    }
    size_t close = pattern.find('}', i);
    if (close == std::string::npos) return sp;
    std::string name = pattern.substr(i + 1, close - i - 1);
    if (name.empty()) return sp;
    for (char n : name) {
      if (!(std::isalnum(static_cast<unsigned char>(n)) || n == '_')) return sp;
    }
    sp.literals.push_back(std::move(literal));
    literal.clear();
    sp.names.push_back(std::move(name));
    i = close;
  }
  sp.literals.push_back(std::move(literal));
  sp.simple = true;
  return sp;
}

struct Language {
  std::string code;
  icu::Locale locale;
  std::map<std::string, std::string, std::less<>> patterns;
  std::map<std::string, SimplePattern, std::less<>> simple;  // same keys as patterns
};

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::set<std::string> NamesIn(const std::string& pattern) {
  std::set<std::string> names;
  UParseError pe;
  UErrorCode st = U_ZERO_ERROR;
  icu::MessagePattern mp(icu::UnicodeString::fromUTF8(pattern), &pe, st);
  if (U_FAILURE(st)) return names;
  for (int32_t i = 0; i < mp.countParts(); ++i) {
    const icu::MessagePattern::Part& p = mp.getPart(i);
    if (p.getType() == UMSGPAT_PART_TYPE_ARG_NAME) names.insert(Utf8(mp.getSubstring(p)));
  }
  return names;
}

// A date as ICU's UDate at noon UTC, so that no time zone moves it to
// another day.
UDate NoonUtc(const Date& d) {
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> cal(
      icu::Calendar::createInstance(icu::TimeZone::getGMT()->clone(), icu::Locale::getRoot(), st));
  if (U_FAILURE(st)) return 0;
  cal->clear();
  cal->set(d.year, d.month - 1, d.day, 12, 0, 0);
  UDate t = cal->getTime(st);
  return U_FAILURE(st) ? 0 : t;
}

}  // namespace

struct Catalogue::Impl {
  std::map<std::string, Language, std::less<>> langs;
  // Compiled formats by pattern (the patterns never change once loaded):
  // building an icu::MessageFormat with a date argument costs more than
  // formatting with it. Formatting holds the lock: ICU does not promise that
  // one MessageFormat formats on two threads at once.
  std::mutex mu;
  std::map<const std::string*, std::unique_ptr<icu::MessageFormat>> compiled;
  const Language* Find(std::string_view lang) const {
    auto it = langs.find(lang);
    return it == langs.end() ? nullptr : &it->second;
  }
  // The language whose pattern `id` is used for `lang`: `lang`, else en
  // (an unknown language or an id missing from it); nullptr when en lacks it.
  const Language* Holding(std::string_view lang, std::string_view id) const {
    const Language* l = Find(lang);
    if (l && l->patterns.count(id)) return l;
    l = Find(kDefaultLang);
    return l && l->patterns.count(id) ? l : nullptr;
  }
};

Catalogue::Catalogue(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Catalogue::~Catalogue() = default;

Result<std::unique_ptr<Catalogue>> Catalogue::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  auto impl = std::make_unique<Impl>();
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return Status::DataLoss(dir + ": cannot read the message catalogue: " + ec.message());
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : it) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    std::string file = path.string();
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return Status::DataLoss(file + ": expected a JSON object {\"lang\", \"messages\"}");
    }
    if (!j.contains("lang") || !j["lang"].is_string() ||
        j["lang"].get<std::string>() != path.stem().string()) {
      return Status::DataLoss(file + ": $.lang: expected \"" + path.stem().string() +
                              "\" (the file's name)");
    }
    if (!j.contains("messages") || !j["messages"].is_object()) {
      return Status::DataLoss(file + ": $.messages: expected an object of id: pattern");
    }
    Language lang;
    lang.code = path.stem().string();
    lang.locale = icu::Locale(lang.code.c_str());
    for (const auto& [id, v] : j["messages"].items()) {
      if (!v.is_string()) {
        return Status::DataLoss(file + ": $.messages." + id + ": expected a string");
      }
      std::string pattern = v.get<std::string>();
      UParseError pe;
      UErrorCode st = U_ZERO_ERROR;
      icu::MessageFormat mf(icu::UnicodeString::fromUTF8(pattern), lang.locale, pe, st);
      if (U_FAILURE(st)) {
        return Status::DataLoss(file + ": $.messages." + id +
                                ": expected an ICU MessageFormat pattern (" + u_errorName(st) +
                                " at offset " + std::to_string(pe.offset) + ")");
      }
      lang.simple.emplace(id, CompileSimple(pattern));
      lang.patterns.emplace(id, std::move(pattern));
    }
    impl->langs.emplace(lang.code, std::move(lang));
  }
  if (!impl->Find(kDefaultLang)) {
    return Status::DataLoss(dir + ": no " + kDefaultLang + ".json in the message catalogue");
  }
  return std::unique_ptr<Catalogue>(new Catalogue(std::move(impl)));
}

Result<const Catalogue*> Catalogue::Default() {
  static std::once_flag once;
  static Result<std::unique_ptr<Catalogue>>* loaded = nullptr;
  std::call_once(once, [] {
    loaded = new Result<std::unique_ptr<Catalogue>>(Load(ResourcePath("messages")));
  });
  if (!loaded->ok()) return loaded->error();
  return loaded->value().get();
}

std::string Catalogue::Format(std::string_view lang, std::string_view id, const Args& args) const {
  const Language* l = impl_->Holding(lang, id);
  if (!l) return std::string(id);
  // The fast path: substitution of text values (see SimplePattern).
  if (const SimplePattern& p = l->simple.find(id)->second; p.simple) {
    std::string out = p.literals[0];
    bool plain = true;
    for (size_t i = 0; i < p.names.size() && plain; ++i) {
      const Arg* value = nullptr;
      for (const Arg& a : args) {
        if (a.name == p.names[i]) value = &a;
      }
      if (value && value->kind != Arg::Kind::kText) plain = false;
      out += value ? value->text : "{" + p.names[i] + "}";  // ICU leaves a missing one as is
      out += p.literals[i + 1];
    }
    if (plain) return out;
  }
  return FormatWithIcu(lang, id, args);
}

std::string Catalogue::FormatWithIcu(std::string_view lang, std::string_view id,
                                     const Args& args) const {
  const Language* l = impl_->Holding(lang, id);
  if (!l) return std::string(id);
  auto it = l->patterns.find(id);
  UErrorCode st = U_ZERO_ERROR;
  std::lock_guard lock(impl_->mu);
  std::unique_ptr<icu::MessageFormat>& mf = impl_->compiled[&it->second];
  if (!mf) {
    UParseError pe;
    mf = std::make_unique<icu::MessageFormat>(icu::UnicodeString::fromUTF8(it->second), l->locale,
                                              pe, st);
    if (U_FAILURE(st)) {  // not reached: Load parsed every pattern
      mf.reset();
      return std::string(id);
    }
  }
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(args.size());
  values.reserve(args.size());
  for (const Arg& a : args) {
    names.push_back(icu::UnicodeString::fromUTF8(a.name));
    switch (a.kind) {
      case Arg::Kind::kText:
        values.emplace_back(icu::UnicodeString::fromUTF8(a.text));
        break;
      case Arg::Kind::kNumber:
        values.emplace_back(static_cast<int64_t>(a.number));
        break;
      case Arg::Kind::kDate:
        values.emplace_back(NoonUtc(a.date), icu::Formattable::kIsDate);
        break;
    }
  }
  icu::UnicodeString out;
  mf->format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, st);
  if (U_FAILURE(st)) return std::string(id);
  return Utf8(out);
}

std::vector<std::string> Catalogue::Languages() const {
  std::vector<std::string> out;
  for (const auto& [code, l] : impl_->langs)
    out.push_back(code);
  return out;
}

bool Catalogue::Speaks(std::string_view lang) const { return impl_->Find(lang) != nullptr; }

std::vector<std::string> Catalogue::Ids(std::string_view lang) const {
  std::vector<std::string> out;
  if (const Language* l = impl_->Find(lang)) {
    for (const auto& [id, p] : l->patterns)
      out.push_back(id);
  }
  return out;
}

std::string Catalogue::Pattern(std::string_view lang, std::string_view id) const {
  const Language* l = impl_->Find(lang);
  if (!l) return "";
  auto it = l->patterns.find(id);
  return it == l->patterns.end() ? "" : it->second;
}

std::set<std::string> Catalogue::Placeholders(std::string_view lang, std::string_view id) const {
  return NamesIn(Pattern(lang, id));
}

std::string LangOfTag(std::string_view tag) {
  size_t end = tag.find_first_of("-_.@ ;");
  std::string primary(tag.substr(0, end));
  std::transform(primary.begin(), primary.end(), primary.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (primary.empty()) return "";
  Result<const Catalogue*> cat = Catalogue::Default();
  if (cat.ok()) return (*cat)->Speaks(primary) ? primary : "";
  return primary == kDefaultLang ? primary : "";
}

std::string LangFromAcceptLanguage(std::string_view header) {
  std::string best;
  double best_q = 0.0;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    std::string_view item =
        header.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    pos = comma == std::string_view::npos ? header.size() + 1 : comma + 1;
    size_t b = item.find_first_not_of(" \t");
    if (b == std::string_view::npos) continue;
    item.remove_prefix(b);
    double q = 1.0;
    size_t semi = item.find(';');
    std::string_view tag = item.substr(0, semi);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t'))
      tag.remove_suffix(1);
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      size_t qp = params.find("q=");
      if (qp != std::string_view::npos) {
        std::string num(params.substr(qp + 2));
        char* endp = nullptr;
        q = std::strtod(num.c_str(), &endp);
        if (endp == num.c_str() || q < 0 || q > 1) q = 0;
      }
    }
    std::string lang = LangOfTag(tag);
    if (!lang.empty() && q > best_q) {
      best = lang;
      best_q = q;
    }
  }
  return best.empty() ? kDefaultLang : best;
}

std::string LangFromEnvironment() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) {
      std::string lang = LangOfTag(v);
      return lang.empty() ? kDefaultLang : lang;
    }
  }
  return kDefaultLang;
}

}  // namespace dualuse::messages
