#include "dualuse/classify/integration.h"

#include <algorithm>

#include "classify/json_reader.h"
#include "dualuse/base/sha256.h"

namespace dualuse::classify {

namespace {

using nlohmann::json;

bool Within(const std::string& code, const std::string& entry) {
  return code == entry || (code.size() > entry.size() &&
                           code.compare(0, entry.size(), entry) == 0 && code[entry.size()] == '.');
}

Status CheckRequest(const json& request) {
  if (!request.is_object()) return Status::InvalidArgument("request: $: expected a JSON object");
  auto items = request.find("items");
  if (items == request.end() || !items->is_array()) {
    return Status::InvalidArgument("request: $.items: expected an array");
  }
  return Status::Ok();
}

void AddUnique(json& arr, const std::string& v) {
  for (const auto& x : arr) {
    if (x.is_string() && x.get<std::string>() == v) return;
  }
  arr.push_back(v);
}

}  // namespace

Result<json> ApplyClassificationRecord(const json& request_in, const ClassificationRecord& rec,
                                       std::string_view item_id_in) {
  DU_RETURN_IF_ERROR(CheckRequest(request_in));
  json request = request_in;
  json& items = request["items"];
  std::string item_id(item_id_in.empty() ? std::string_view(rec.item_id) : item_id_in);
  json* item = nullptr;
  size_t index = 0;
  if (item_id.empty()) {
    if (items.size() != 1) {
      return Status::InvalidArgument("classification record " + rec.id +
                                     ": names no item and the request has " +
                                     std::to_string(items.size()) + " items");
    }
    item = &items[0];
  } else {
    for (size_t i = 0; i < items.size(); ++i) {
      auto id = items[i].find("id");
      if (id != items[i].end() && id->is_string() && id->get<std::string>() == item_id) {
        item = &items[i];
        index = i;
      }
    }
    if (!item) {
      return Status::InvalidArgument("classification record " + rec.id + ": item \"" + item_id +
                                     "\" is not in the request");
    }
  }
  if (!item->is_object()) {
    return Status::InvalidArgument("request: $.items[" + std::to_string(index) +
                                   "]: expected an object");
  }
  std::string place = "request: $.items[" + std::to_string(index) + "]";
  if (rec.outcome == "refer") {
    std::string to;
    for (size_t i = 0; i < rec.refer_to.size(); ++i)
      to += (i ? ", " : "") + rec.refer_to[i];
    return Status::FailedPrecondition("classification record " + rec.id +
                                      " does not classify the item (outcome \"refer\": see " + to +
                                      ")");
  }
  auto ce = item->find("control_entries");
  if (ce != item->end() && !ce->is_array()) {
    return Status::InvalidArgument(place + ".control_entries: expected an array");
  }
  if (rec.outcome == "listed") {
    json entries = ce != item->end() ? *ce : json::array();
    for (const auto& e : rec.entries)
      AddUnique(entries, e);
    (*item)["control_entries"] = entries;
  } else if (rec.outcome == "not_listed") {
    json kept = json::array();
    if (ce != item->end()) {
      for (const auto& e : *ce) {
        bool examined = false;
        if (e.is_string()) {
          for (const auto& c : rec.tree_covers)
            examined |= Within(e.get<std::string>(), c);
        }
        if (!examined) kept.push_back(e);
      }
    }
    (*item)["control_entries"] = kept;
  } else if (rec.cyber_surveillance.has_value()) {
    (*item)["cyber_surveillance"] = *rec.cyber_surveillance;
  }
  json cite = {{"id", rec.id},
               {"tree", rec.tree},
               {"tree_version", rec.tree_version},
               {"outcome", rec.outcome},
               {"entries", rec.entries},
               {"who", rec.who},
               {"when", rec.when},
               {"annex_version", rec.annex_version}};
  cite["cyber_surveillance"] =
      rec.cyber_surveillance ? json(*rec.cyber_surveillance) : json(nullptr);
  json& list = (*item)["classification_records"];
  if (!list.is_array()) list = json::array();
  bool present = false;
  for (const auto& x : list)
    present |= x.is_object() && x.value("id", "") == rec.id;
  if (!present) list.push_back(cite);
  return request;
}

Result<json> ApplyDueDiligence(const json& request_in, const DueDiligenceRecord& dd) {
  DU_RETURN_IF_ERROR(CheckRequest(request_in));
  json request = request_in;
  auto ref = request.find("reference");
  if (ref != request.end() && ref->is_string() && !dd.reference.empty() &&
      ref->get<std::string>() != dd.reference) {
    return Status::InvalidArgument("due-diligence record: reference \"" + dd.reference +
                                   "\" is not the request's reference \"" +
                                   ref->get<std::string>() + "\"");
  }
  json& knowledge = request["knowledge"];
  if (knowledge.is_null()) knowledge = json::object();
  if (!knowledge.is_object()) {
    return Status::InvalidArgument("request: $.knowledge: expected an object");
  }
  for (const char* key : {"informed", "aware", "suspects"}) {
    if (!knowledge.contains(key)) knowledge[key] = json::array();
    if (!knowledge[key].is_array()) {
      return Status::InvalidArgument(std::string("request: $.knowledge.") + key +
                                     ": expected an array");
    }
  }
  Knowledge k = KnowledgeFromDueDiligence(dd);
  for (const auto& v : k.aware)
    AddUnique(knowledge["aware"], v);
  for (const auto& v : k.suspects)
    AddUnique(knowledge["suspects"], v);
  std::string text = DueDiligenceToJson(dd);
  request["due_diligence"] = {{"reference", dd.reference},     {"conclusion", dd.conclusion},
                              {"concerns", dd.concerns},       {"date", dd.date},
                              {"prepared_by", dd.prepared_by}, {"record_sha256", Sha256Hex(text)},
                              {"record", json::parse(text)}};
  return request;
}

Result<ClassificationRecord> LoadClassificationRecord(const std::string& ref,
                                                      const std::string& records_dir) {
  std::string path = ref;
  if (ref.rfind("CR-", 0) == 0 && ref.find('/') == std::string::npos) {
    if (ref.size() != 19 || !std::all_of(ref.begin() + 3, ref.end(), [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        })) {
      return Status::InvalidArgument("\"" + ref +
                                     "\" is not a classification record id (expected CR- and 16 "
                                     "hex digits)");
    }
    path = records_dir + "/" + ref + ".json";
  }
  DU_ASSIGN_OR_RETURN(std::string text, ReadFileText(path, StatusCode::kNotFound));
  DU_ASSIGN_OR_RETURN(ClassificationRecord rec, RecordFromJson(text, path));
  if (ref.rfind("CR-", 0) == 0 && rec.id != ref) {
    return Status::DataLoss(path + ": $.id: \"" + rec.id + "\" but the file is named for " + ref);
  }
  return rec;
}

}  // namespace dualuse::classify
