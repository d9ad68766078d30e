-- wrk script: single-name POST /screen, the bodies (bench/server/screen.bodies,
-- one per line: listed and unlisted parties) used in turn. Token from
-- $DUALUSE_TOKEN. Run from the repository root:
-- wrk -t2 -c64 -d20s --latency -s bench/server/screen.lua http://127.0.0.1:PORT
package.path = "bench/server/?.lua;" .. package.path
local common = require("common")
common.setup("/screen", "bench/server/screen.bodies")
request = common.request
done = common.done
