// Store: the record of every decision, behind one interface with two backends.
//
// Backends: SQLite (the default; a file, normally <data-dir>/dualuse.db, in WAL
// mode) and PostgreSQL (a "postgresql://" or "postgres://" URL, via libpqxx).
// Both hold the same schema, created and upgraded by versioned migrations
// (table schema_migrations); the logic above the SQL is shared, so both
// backends behave identically.
//
// Records are append-only and hash-chained: each record holds the SHA-256 of
// its predecessor (prev_hash) and its own hash over a canonical serialisation
// (see docs/store.md), so that Verify() detects a record that was modified,
// inserted or deleted behind the store's back. There is no update or delete
// path in this API, and database triggers refuse UPDATE and DELETE on the
// records table. Records are kept at least five years (Article 27 of
// Regulation (EU) 2021/821; three years under Article 20 of Regulation (EC)
// No 428/2009): the store has no purge.
//
// A Store object is safe to use from several threads (calls are serialised);
// several processes may open the same store at once (appends are serialised
// by the database: BEGIN IMMEDIATE in SQLite, an advisory lock in PostgreSQL).
// No exception crosses this API.
#ifndef DUALUSE_STORE_STORE_H_
#define DUALUSE_STORE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dualuse/base/clock.h"
#include "dualuse/base/result.h"
#include "dualuse/base/status.h"

namespace dualuse::store {

// ---------------------------------------------------------------- records

// Record kinds written by dualuse. Other kinds (e.g. licensing events) may be
// added; a kind is a short lower-case word.
inline constexpr const char* kKindAssessment = "assessment";
inline constexpr const char* kKindScreening = "screening";
inline constexpr const char* kKindReviewDecision = "review_decision";
inline constexpr const char* kKindListImport = "list_import";
inline constexpr const char* kKindRescreen = "rescreen";

// What the caller supplies. inputs/outputs/list_versions must be JSON texts
// (stored exactly as given; the hash covers the text).
struct RecordInput {
  std::string kind;
  std::string actor;                 // who acted: a user name, "cli:<user>", "system"
  std::string subject;               // what it is about: a reference, counterparty key...
  std::string inputs = "{}";         // JSON: the request, the names screened, ...
  std::string outputs = "{}";        // JSON: the determination, the matches, ...
  std::string law_version;           // the law data version used, "" if none
  std::string list_versions = "{}";  // JSON object: list id -> list version
  // Unique keys this record takes (e.g. "authority_filing:APP-7"); not part
  // of the record's content or hash. An append whose claim another record
  // (or another record of the same batch) holds fails with kAlreadyExists
  // and appends nothing: two processes numbering or deciding the same thing
  // at once cannot both succeed.
  std::vector<std::string> claims;
};

// A record checked, and serialised for its hash, before the store's write
// lock is taken. A caller with many threads (the HTTP server) prepares each
// record in the thread that made it, so that the single appender only
// numbers, chains, hashes and inserts (group commit: docs/store.md).
// Make() applies exactly the checks of Append (kInvalidArgument).
class PreparedRecord {
 public:
  static Result<PreparedRecord> Make(RecordInput input);
  // Make() for a record whose inputs, outputs and list_versions this program
  // has just serialised from typed values (a JSON writer's output, nested no
  // deeper than their types): their JSON grammar and nesting are not parsed
  // again. Everything else is checked as by Make(): every text is UTF-8
  // without NUL (the canonical serialisation relies on it), kind is a word,
  // list_versions starts as an object, claims are non-empty. Text from
  // outside the program (a request body, a file) goes through Make().
  static Result<PreparedRecord> MakeSerialised(RecordInput input);

  const RecordInput& input() const { return input_; }
  // The canonical serialisation (docs/store.md) of this record numbered `id`,
  // recorded at `recorded_at` and chained to `prev_hash`: the bytes its hash
  // covers, equal to CanonicalRecord() of that record.
  std::string Canonical(int64_t id, const std::string& recorded_at,
                        const std::string& prev_hash) const;

 private:
  PreparedRecord() = default;
  RecordInput input_;
  // The parts of the canonical text that do not depend on the position in
  // the chain: {"actor":..,"id":  |  ,"inputs":..,"outputs":..  |  ,"subject":..,"v":1}
  std::string head_, middle_, tail_;
};

struct Record : RecordInput {
  int64_t id = 0;           // 1, 2, 3, ... without gaps
  std::string recorded_at;  // UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ"
  std::string prev_hash;    // hash of record id-1; 64 zeros for record 1
  std::string hash;         // SHA-256 (hex) of CanonicalRecord(*this)
};

// The exact byte string whose SHA-256 is Record::hash. Documented in
// docs/store.md so an inspector can re-check a chain with other tools.
std::string CanonicalRecord(const Record& r);
inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct RecordQuery {
  std::string from;       // YYYY-MM-DD, inclusive; "" = from the start
  std::string to;         // YYYY-MM-DD, inclusive; "" = to the end
  std::string kind;       // "" = every kind
  std::string subject;    // exact; "" = every subject
  std::string actor;      // exact; "" = every actor
  std::string text;       // substring of subject or inputs; "" = any
  int64_t after_id = 0;   // only records with id > after_id
  int64_t before_id = 0;  // only records with id < before_id (0 = no bound)
  bool newest_first = false;
  int64_t limit = 0;  // 0 = no limit
  // Visibility, for an access policy (src/server/access_policy.h); the
  // defaults see every record. A record is visible when its kind class is
  // (authority_kinds: kinds starting "authority_"; other_kinds: the rest),
  // or its kind is in also_kinds, or its actor is also_actor, or its actor
  // is a user of also_organisation (non-empty).
  bool authority_kinds = true;
  bool other_kinds = true;
  std::vector<std::string> also_kinds;
  std::string also_actor;
  std::string also_organisation;
};

struct VerifyProblem {
  int64_t record_id = 0;  // the record the problem concerns
  std::string what;       // "modified", "inserted", "deleted", "renumbered", "broken_link", "head"
  std::string message;    // one line for a person
};

struct VerifyReport {
  int64_t records = 0;  // how many records were checked
  std::string head_hash;
  std::vector<VerifyProblem> problems;  // empty: the chain is intact
  bool ok() const { return problems.empty(); }
};

// ---------------------------------------------------------- counterparties

// A party as seen in an assessment or a screening request.
struct CounterpartyInput {
  std::string name;
  std::vector<std::string> aliases;
  std::string country;             // ISO alpha-2 or ""
  std::string schema;              // "Person", "Organization", "Vessel", "LegalEntity", ...
  std::string birth_date;          // YYYY[-MM[-DD]] or ""
  std::string identifiers = "[]";  // JSON array of {type, value, country}
};

struct Counterparty : CounterpartyInput {
  int64_t id = 0;
  std::string key;                    // CounterpartyKey(): normalised name | country
  std::string content_hash;           // over every field above; changes make a new version
  int version = 1;                    // 1 + number of content changes seen
  std::string first_seen, last_seen;  // UTC timestamps
  std::string screened_hash;          // content_hash when last screened against all lists
};

// Normalised register key: lower-cased name with punctuation and runs of
// spaces folded, then "|" and the upper-case country.
std::string CounterpartyKey(const std::string& name, const std::string& country);

struct UpsertOutcome {
  int64_t id = 0;
  bool created = false;  // first time seen
  bool changed = false;  // content differs from the stored version (new version)
};

// ------------------------------------------------------------------ review

// An alert in the review queue: a potential match of a counterparty against a
// list entity, or a red flag.
struct AlertInput {
  int64_t counterparty_id = 0;           // 0: not about a registered counterparty
  std::string subject;                   // one line for the queue ("" = derived)
  int64_t record_id = 0;                 // the record that raised it (0 = none)
  std::string kind = "potential_match";  // "hit", "potential_match", "red_flag"
  std::string list;                      // list id, "" for a red flag
  std::string list_version;
  std::string entity_id;
  std::string entity_hash;  // content hash of the listing (EntityContentHash)
  std::string entity_name;
  std::string matched_name;
  double score = 0;
  std::string effect;  // "asset_freeze", "denied_party", "licence_requirement", "blocking", "other"
  std::string jurisdiction;     // "UN", "EU", "US", ...
  std::string programs = "[]";  // JSON array
  std::string details = "{}";   // JSON: explanation, the red flag, the raising record
  // The listed entity's identity across lists: a shared identifier such as
  // "un_reference:KPe.001" (a UN reference number that EU and UK records
  // carry). "" = the listing alone (list and entity_id).
  std::string entity_key;
  // The party screened when there is no registered counterparty (a
  // screening): its name, country and birth date. The review queue keys
  // items by CounterpartyKey(party_name, party_country).
  std::string party_name, party_country, party_birth_date;
};

struct Alert : AlertInput {
  int64_t id = 0;
  std::string created_at;
  std::string counterparty_hash;  // the counterparty's content_hash when raised
  std::string counterparty_key;
  std::string counterparty_name;
  std::string state;  // "open", "pending_dismissal", "confirmed", "dismissed"
  std::string decided_at, decided_by, reason;
  int64_t decision_record = 0;  // the review_decision record, 0 while open
  std::string party_key;        // CounterpartyKey of the party: the queue's key
  // JSON array: the other listings of the same entity attached to this item
  // ({list, list_version, entity_id, entity_hash, entity_name, matched_name,
  // score, effect, jurisdiction, attached_at}).
  std::string also_listed = "[]";
};

// Whether AddAlert raised an alert or why it did not. kAttached: the hit
// was attached to the open item of the same party and entity (another list
// carrying the entity). kKnownFalsePositive: a good-guy entry covers it.
enum class AlertOutcome {
  kRaised,
  kSuppressedDismissed,
  kDuplicate,
  kAttached,
  kKnownFalsePositive
};

// What the queue holds about a hit (Store::Standings): the item raised,
// attached to or that a dismissal holds on, or the good-guy entry.
struct AlertStanding {
  AlertOutcome outcome = AlertOutcome::kRaised;
  int64_t alert_id = 0;  // the item (0 for kRaised in a dry run, kKnownFalsePositive)
  std::string state;     // that item's state; "" when none
  std::string decided_by, decided_at, reason;  // the decision, or the good-guy entry
  int64_t good_guy_id = 0;                     // kKnownFalsePositive: the entry
  int64_t reopens = 0;  // kRaised: the dismissed item whose listing or party changed
};

// A known false positive ("good guy"): this counterparty is not this listed
// entity. Screening shows such a match with the reason and raises no item.
struct GoodGuyInput {
  std::string counterparty;  // a counterparty name, or a register id ("17")
  std::string list;          // list id; "" = the entity on any list
  std::string entity_id;     // the publisher's id
  std::string reason;
};
struct GoodGuy : GoodGuyInput {
  int64_t id = 0;
  int64_t counterparty_id = 0;  // when given as a register id
  std::string name_key;         // CounterpartyKey(name, "") of the counterparty
  std::string reviewer, created_at;
  int64_t record_id = 0;
  std::string removed_by, removed_at;  // "" while in force
  int64_t removed_record = 0;
};
inline constexpr const char* kKindGoodGuy = "good_guy";

// A confirmed match: a reviewer decided that a counterparty is this listed
// entity. What the listing means for a transaction is a legal question,
// answered above the store (service/confirmed_matches.h).
struct ConfirmedMatch {
  int64_t alert_id = 0;
  std::string list, list_version, entity_id, entity_name, effect, jurisdiction;
  std::string decided_by, decided_at, reason;
};

// What one re-screening run writes, all in one transaction.
struct RescreenWrite {
  std::vector<AlertInput> alerts;
  std::vector<std::pair<int64_t, std::string>> screened;           // counterparty id, content_hash
  std::vector<std::pair<std::string, std::string>> list_versions;  // list id, version covered
  RecordInput
      record;  // its outputs (a JSON object) get "alerts_raised", "suppressed", "duplicates"
};
struct RescreenCommit {
  Record record;
  std::vector<std::pair<AlertOutcome, int64_t>> outcomes;  // per alert
};

// ----------------------------------------------------------- users, tokens

struct User {
  int64_t id = 0;
  std::string name;
  std::string password_hash;  // an encoded hash (e.g. argon2id), never a password
  std::string role;           // "admin", "reviewer", "user", ...
  std::string created_at;
  bool disabled = false;
  std::string organisation;  // the exporter (or authority) the user acts for; "" = none
};

struct Token {
  std::string id;    // the public token id, used to find it
  std::string hash;  // an encoded hash of the secret (e.g. argon2id), never the token
  int64_t user_id = 0;
  std::string created_at, expires_at;  // UTC timestamps; expires_at "" = never
  bool revoked = false;
};

// ------------------------------------------------------------------ anchor

// Record kinds the store writes itself, in the same transaction as the
// change they describe: a user created or changed (role, disabled,
// organisation), an API token issued or revoked. Verify() checks the users
// and tokens tables against the latest of these records, and the alerts'
// states against their review_decision records.
inline constexpr const char* kKindUser = "user";
inline constexpr const char* kKindToken = "token";

// A checkpoint of the chain, meant to be kept outside the database (printed
// by `dualuse audit anchor`): after `records` records the chain's head hash
// was `head_hash`. Text form (one line):
//   dualuse-anchor/1 records=<n> head=<64 hex> at=<UTC timestamp>
struct Anchor {
  int64_t records = 0;
  std::string head_hash;
  std::string at;
};
std::string AnchorText(const Anchor& a);
// kInvalidArgument naming what is wrong with the text.
Result<Anchor> ParseAnchor(std::string_view text);

// -------------------------------------------------------------------- store

struct OpenOptions {
  bool create_if_missing = true;  // SQLite: create the file; both: run migrations
  int busy_timeout_ms = 15000;    // SQLite busy timeout
};

class Store {
 public:
  // `target`: a "postgresql://" / "postgres://" URL, or a SQLite file path
  // (optionally "sqlite:" prefixed). Errors: kDataLoss for a corrupt file,
  // kFailedPrecondition for a database that is not a dualuse store or has a
  // newer schema, kUnavailable when the server cannot be reached, kNotFound
  // for a missing file when !create_if_missing.
  static Result<std::unique_ptr<Store>> Open(const std::string& target,
                                             const OpenOptions& options = {});
  // <data_dir>/dualuse.db
  static std::string DefaultPath(const std::string& data_dir);

  virtual ~Store() = default;
  virtual std::string Backend() const = 0;  // "sqlite" or "postgresql"
  virtual Result<int> SchemaVersion() = 0;

  // Records. Append validates the JSON fields (kInvalidArgument) and writes
  // one record atomically; AppendBatch writes all or none, in order.
  // AppendPrepared is AppendWithAlerts for records already checked by
  // PreparedRecord::Make (the alerts are checked here).
  virtual Result<Record> Append(const RecordInput& input) = 0;
  virtual Result<std::vector<Record>> AppendBatch(const std::vector<RecordInput>& inputs) = 0;
  // Appends the records and, in the same transaction, raises the alerts of
  // alerts[i] (as AddAlert would) with record_id = the id of record i.
  // alerts.size() == inputs.size().
  virtual Result<std::vector<Record>> AppendWithAlerts(
      const std::vector<RecordInput>& inputs,
      const std::vector<std::vector<AlertInput>>& alerts) = 0;
  // `raised` (may be null) gets, per record, how many of its alerts were
  // raised (not suppressed as dismissed or duplicate).
  Result<std::vector<Record>> AppendPrepared(const std::vector<PreparedRecord>& records,
                                             const std::vector<std::vector<AlertInput>>& alerts) {
    return AppendPrepared(records, alerts, nullptr);
  }
  virtual Result<std::vector<Record>> AppendPrepared(
      const std::vector<PreparedRecord>& records,
      const std::vector<std::vector<AlertInput>>& alerts, std::vector<int>* raised) = 0;
  virtual Result<Record> GetRecord(int64_t id) = 0;  // kNotFound
  virtual Result<std::vector<Record>> Records(const RecordQuery& query) = 0;
  virtual Result<int64_t> RecordCount() = 0;
  virtual Result<VerifyReport> Verify() = 0;
  // Verify(), and the chain still passes through `anchor`: record
  // anchor.records exists and carries anchor.head_hash. Problems "truncated"
  // (fewer records than the anchor saw: cut, or a store replaced by a new
  // one) and "rewritten" (record anchor.records differs: rewritten or
  // replaced, even when chain_head was updated to match).
  Result<VerifyReport> VerifyWithAnchor(const Anchor& anchor);
  // The anchor of the chain as it is now; kDataLoss when Verify() fails.
  Result<Anchor> MakeAnchor();

  // Counterparty register.
  virtual Result<UpsertOutcome> UpsertCounterparty(const CounterpartyInput& party) = 0;
  // All in one transaction.
  virtual Result<std::vector<UpsertOutcome>> UpsertCounterparties(
      const std::vector<CounterpartyInput>& parties) = 0;
  virtual Result<Counterparty> GetCounterparty(int64_t id) = 0;
  virtual Result<std::optional<Counterparty>> FindCounterparty(const std::string& key) = 0;
  virtual Result<std::vector<Counterparty>> Counterparties() = 0;  // by id
  virtual Result<int64_t> CounterpartyCount() = 0;
  // Marks these counterparties as screened against all lists at their current
  // content (so the next rescreen does not treat them as new).
  virtual Status MarkScreened(const std::vector<std::pair<int64_t, std::string>>& id_and_hash) = 0;

  // Writes the outcome of a rescreen (see RescreenWrite) atomically.
  virtual Result<RescreenCommit> CommitRescreen(const RescreenWrite& write) = 0;

  // Which version of each list the last rescreen covered.
  virtual Result<std::optional<std::string>> ScreenedListVersion(const std::string& list) = 0;
  virtual Status SetScreenedListVersion(const std::string& list, const std::string& version) = 0;

  // Review queue: one item per party and listed entity. The party is the
  // counterparty (its register key) or, for a screening, party_name and
  // party_country (the same key); the entity is entity_key when given (an
  // identifier several lists share), else the listing (list, entity_id) or,
  // to attach, the entity's name. AddAlert, for a hit on an entity:
  //   - raises nothing when a good-guy entry names the party and the entity
  //     (kKnownFalsePositive);
  //   - raises nothing when an open or confirmed item of the party already
  //     covers the listing (kDuplicate), and attaches a listing of the same
  //     entity on another list to the party's open item (kAttached);
  //   - raises nothing when the party's newest item covering the listing was
  //     dismissed while the listing (entity_hash) and the party (name,
  //     country, birth date) were what they are now (kSuppressedDismissed);
  //     a changed listing or party raises a new item that names the
  //     dismissed one ("reopens" in its details).
  // A red flag (no entity) is raised once per subject: not again while one
  // with that subject is open or confirmed, nor after it was dismissed.
  // The alert id returned is the item raised, attached to or holding.
  virtual Result<std::pair<AlertOutcome, int64_t>> AddAlert(const AlertInput& alert) = 0;
  // All in one transaction; outcome and alert id per input.
  virtual Result<std::vector<std::pair<AlertOutcome, int64_t>>> AddAlerts(
      const std::vector<AlertInput>& alerts) = 0;
  virtual Result<Alert> GetAlert(int64_t id) = 0;
  virtual Result<std::vector<Alert>> Alerts(const std::string& state) = 0;  // "" = all
  // Decide an open alert; writes a review_decision record in the same
  // transaction and returns it (`record`, when given, is written instead of
  // the default one). kNotFound for an unknown id, kFailedPrecondition when
  // already decided, kInvalidArgument for an empty reason. An exact hit
  // (kind "hit") on an asset-freeze list is dismissed by two reviewers: the
  // first dismissal leaves it "pending_dismissal", a second by another actor
  // dismisses it; the actor of the record that raised it may not dismiss it
  // (kFailedPrecondition).
  virtual Result<Record> DecideAlert(int64_t id, bool confirm, const std::string& reason,
                                     const std::string& actor,
                                     const std::optional<RecordInput>& record = std::nullopt) = 0;
  // What AddAlerts would do with each input, without writing (the screening
  // answer shows a match as previously dismissed or a known false positive).
  virtual Result<std::vector<AlertStanding>> Standings(const std::vector<AlertInput>& alerts) = 0;
  // Good-guy list. Each change writes a good_guy record (actor = reviewer)
  // in its transaction. Add: kInvalidArgument for a missing counterparty,
  // entity or reason, kNotFound for an unknown register id. Remove:
  // kNotFound for an unknown id, kFailedPrecondition when already removed.
  virtual Result<GoodGuy> AddGoodGuy(const GoodGuyInput& entry, const std::string& actor) = 0;
  virtual Result<GoodGuy> RemoveGoodGuy(int64_t id, const std::string& reason,
                                        const std::string& actor) = 0;
  virtual Result<std::vector<GoodGuy>> GoodGuys(bool include_removed) = 0;
  // Confirmed matches of the counterparty with this key (CounterpartyKey()),
  // the listings attached to a confirmed item included.
  virtual Result<std::vector<ConfirmedMatch>> ConfirmedMatchesFor(
      const std::string& counterparty_key) = 0;

  // Users and API tokens (for the HTTP server).
  // Each change below is recorded (kKindUser, kKindToken) with `actor` as
  // the record's actor, in the change's transaction.
  virtual Result<User> CreateUser(const std::string& name, const std::string& password_hash,
                                  const std::string& role,
                                  const std::string& actor = "system") = 0;  // kAlreadyExists
  virtual Result<User> GetUserByName(const std::string& name) = 0;           // kNotFound
  virtual Result<User> GetUser(int64_t id) = 0;
  virtual Result<std::vector<User>> Users() = 0;
  virtual Status SetUserPassword(int64_t id, const std::string& password_hash) = 0;
  virtual Status SetUserDisabled(int64_t id, bool disabled,
                                 const std::string& actor = "system") = 0;
  virtual Status SetUserRole(int64_t id, const std::string& role,
                             const std::string& actor = "system") = 0;
  virtual Status SetUserOrganisation(int64_t id, const std::string& organisation,
                                     const std::string& actor = "system") = 0;
  virtual Status AddToken(const Token& token, const std::string& actor = "system") = 0;
  // kNotFound when unknown, revoked, expired (expires_at <= now) or its user disabled.
  virtual Result<Token> LookupToken(const std::string& id) = 0;
  virtual Status RevokeToken(const std::string& id, const std::string& actor = "system") = 0;
  // Replaces a token's stored hash when it is still `old_hash` (a hash form
  // upgrade; kNotFound otherwise). Not a recorded change: the hash is not in
  // the token's records.
  virtual Status ReplaceTokenHash(const std::string& id, const std::string& old_hash,
                                  const std::string& new_hash) = 0;
  // Every token of the user `user_id` (revoked and expired ones too).
  virtual Result<std::vector<Token>> TokensOf(int64_t user_id) = 0;

  // Changes other processes on the same store must learn of (servers
  // sharing one PostgreSQL database; docs/scaling.md). The store itself
  // announces "tokens" (a token revoked) and "users" (a user disabled,
  // enabled, or given another role or organisation) in the transaction that
  // makes the change; callers announce "lists" once a list import is
  // committed. PostgreSQL: NOTIFY on channel kChangeChannel, delivered at
  // commit; SQLite: nothing is sent (listeners poll AccessStamp()).
  virtual Status AnnounceChange(const std::string& kind) = 0;
  // A stamp of who may do what: differs whenever a user or token row has
  // changed (a new one, a role, disabled, organisation, revoked). Reads the
  // users and tokens tables only, so it is cheap enough to poll.
  virtual Result<std::string> AccessStamp() = 0;
};

// The PostgreSQL notification channel of AnnounceChange.
inline constexpr const char* kChangeChannel = "dualuse_changes";

// Notifications of AnnounceChange from any process on a PostgreSQL store,
// on a connection of its own. Not thread-safe: one thread waits.
class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  // Waits up to `timeout_ms` for notifications; returns their kinds (empty
  // when none came). kUnavailable when the connection is lost (make a new
  // listener; notifications sent meanwhile are lost, so poll once).
  virtual Result<std::vector<std::string>> Wait(int timeout_ms) = 0;
};

// A listener on `target` (a postgresql:// URL). kFailedPrecondition for a SQLite
// path (one machine, no notifications: poll), kUnavailable when the server
// cannot be reached.
Result<std::unique_ptr<ChangeListener>> ListenForChanges(const std::string& target);

// UTC now as "YYYY-MM-DDTHH:MM:SS.mmmZ": Clock::NowTimestamp() (dualuse/base/clock.h).
inline std::string NowTimestamp() { return Clock::NowTimestamp(); }

}  // namespace dualuse::store

#endif  // DUALUSE_STORE_STORE_H_
