#include "service/rescreen_util.h"

#include <set>

namespace dualuse::service {
namespace {

const char* const kSyllables[] = {"ka",  "ro",  "mi",  "tel", "van", "dor", "si",  "lu",  "ber",
                                  "gen", "tra", "no",  "pol", "zen", "fa",  "qui", "mar", "ten",
                                  "os",  "bri", "hal", "ven", "ul",  "cor", "das", "ny",  "pe"};
const char* const kForms[] = {"GmbH",    "B.V.",       "Ltd",       "S.A.",
                              "LLC",     "Co., Ltd",   "AB",        "S.p.A.",
                              "Trading", "Industries", "Logistics", "Technologies"};
const char* const kCountries[] = {"DE", "NL", "FR", "CN", "US", "IN", "TR", "AE", "BR", "JP",
                                  "KR", "IT", "ES", "PL", "SE", "GB", "RU", "KZ", "VN", "ZA"};

struct Lcg {
  uint64_t s;
  uint32_t Next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(s >> 33);
  }
  template <size_t N>
  const char* Pick(const char* const (&a)[N]) {
    return a[Next() % N];
  }
};

std::string Word(Lcg& g, int syllables) {
  std::string w;
  for (int i = 0; i < syllables; ++i)
    w += g.Pick(kSyllables);
  w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

std::string SchemaOf(lists::Schema s) {
  switch (s) {
    case lists::Schema::kPerson:
      return "Person";
    case lists::Schema::kOrganization:
      return "Organization";
    case lists::Schema::kCompany:
      return "Company";
    case lists::Schema::kVessel:
      return "Vessel";
    case lists::Schema::kAircraft:
      return "Aircraft";
    case lists::Schema::kLegalEntity:
      return "LegalEntity";
  }
  return "LegalEntity";
}

}  // namespace

std::vector<store::CounterpartyInput> GenerateCounterparties(size_t n, const lists::ListDiff& diff,
                                                             const lists::ListVersion& before,
                                                             uint64_t seed,
                                                             std::vector<std::string>* planted) {
  std::vector<store::CounterpartyInput> out;
  std::set<std::string> keys;
  auto add = [&](store::CounterpartyInput c) {
    if (out.size() >= n) return false;
    if (!keys.insert(store::CounterpartyKey(c.name, c.country)).second) return false;
    out.push_back(std::move(c));
    return true;
  };
  // Names of added and changed entities, as a customer might be called.
  std::vector<const lists::Entity*> listed;
  for (const auto& e : diff.added)
    listed.push_back(&e);
  for (const auto& c : diff.changed)
    listed.push_back(&c.after);
  for (const lists::Entity* e : listed) {
    store::CounterpartyInput c;
    c.name = e->caption;
    c.schema = SchemaOf(e->schema);
    c.country = e->countries.empty() ? "" : e->countries.front();
    if (add(c) && planted) planted->push_back(c.name);
  }
  // Some names of unchanged listings: already screened, must not alert again.
  std::set<std::string> moved;
  for (const lists::Entity* e : listed)
    moved.insert(e->id);
  size_t unchanged = 0;
  for (const auto& e : before.entities) {
    if (unchanged >= 50) break;
    if (moved.count(e.id)) continue;
    store::CounterpartyInput c;
    c.name = e.caption;
    c.schema = SchemaOf(e.schema);
    if (add(c)) ++unchanged;
  }
  Lcg g{seed};
  while (out.size() < n) {
    store::CounterpartyInput c;
    if (g.Next() % 3 == 0) {
      c.schema = "Person";
      c.name = Word(g, 2) + " " + Word(g, 3);
      if (g.Next() % 4 == 0) c.birth_date = std::to_string(1940 + g.Next() % 60);
    } else {
      c.schema = "Organization";
      c.name = Word(g, 2 + static_cast<int>(g.Next() % 2)) + " " + g.Pick(kForms);
      if (g.Next() % 5 == 0) c.aliases.push_back(Word(g, 3));
    }
    c.country = g.Pick(kCountries);
    add(std::move(c));
  }
  return out;
}

}  // namespace dualuse::service
