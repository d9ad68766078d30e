-- wrk script: POST /match/default in yente's request shape, one query per
-- request (bench/server/match.bodies: companies and people, with and without
-- birth date, used in turn). Token from $DUALUSE_TOKEN. Run from the
-- repository root.
package.path = "bench/server/?.lua;" .. package.path
local common = require("common")
common.setup("/match/default", "bench/server/match.bodies")
request = common.request
done = common.done
