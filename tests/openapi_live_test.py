#!/usr/bin/env python3
"""web/openapi.json against a live `dualuse serve` on loopback, both ways.

1. Every documented operation is requested, with real data made by the
   operations before it (a screening, an assessment, a classification record,
   filings, an assessment of the criteria, decisions, a booking, a denial, a
   consultation, review decisions, user and token administration): its status
   must be one the document lists for it, and a JSON answer must conform to the
   schema documented for that status. Every operation that documents 401 is
   also requested without a token and must answer 401 with an Error.
2. Every route the server registers (read from its registrations in
   src/server/*.cc and the authority's route table, AuthorityApiRoutes in
   src/authority/api.cc) is documented, except the web UI's own files
   (/ and /assets/...).

Usage: openapi_live_test.py DUALUSE SOURCE_DIR LISTS_DIR
Prints one line per check and 'N passed, N failed'; exit 1 on a failure.
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

BINARY, SOURCE, LISTS = sys.argv[1], sys.argv[2], sys.argv[3]
UN_LIST = os.path.join(LISTS, 'un_sc', 'un_consolidated_2026-02-27.xml')
DOC = json.load(open(os.path.join(SOURCE, 'web', 'openapi.json'), encoding='utf-8'))
TODAY = datetime.date.today().isoformat()
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(('ok   ' if ok else 'FAIL ') + what, flush=True)
    return ok


# ------------------------------------------------------- schema checking
def resolve(schema):
    while isinstance(schema, dict) and '$ref' in schema:
        name = schema['$ref'].split('/')[-1]
        schema = DOC['components']['schemas'][name]
    return schema


def conform(value, schema, where='$'):
    """Errors of `value` against the OpenAPI 3.0 subset the document uses."""
    s = resolve(schema)
    if not s:
        return []
    if value is None:
        return [] if s.get('nullable') else [f'{where}: null where not nullable']
    for key in ('anyOf', 'oneOf'):
        if key in s:
            options = [conform(value, x, where) for x in s[key]]
            return [] if any(not e for e in options) else [f'{where}: matches none of {key}: ' + '; '.join(options[0][:2])]
    if 'allOf' in s:
        return [e for x in s['allOf'] for e in conform(value, x, where)]
    t = s.get('type')
    types = {'object': dict, 'array': list, 'string': str, 'boolean': bool}
    if t in types and not isinstance(value, types[t]):
        return [f'{where}: expected {t}, got {type(value).__name__}']
    if t == 'integer' and (not isinstance(value, int) or isinstance(value, bool)):
        return [f'{where}: expected integer, got {value!r}']
    if t == 'number' and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        return [f'{where}: expected number, got {value!r}']
    errors = []
    if 'enum' in s and value not in s['enum']:
        errors.append(f'{where}: {value!r} not in {s["enum"]}')
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 'minimum' in s and value < s['minimum']:
            errors.append(f'{where}: {value} < {s["minimum"]}')
        if 'maximum' in s and value > s['maximum']:
            errors.append(f'{where}: {value} > {s["maximum"]}')
    if isinstance(value, dict):
        props = s.get('properties', {})
        for r in s.get('required', []):
            if r not in value:
                errors.append(f'{where}: missing {r}')
        extra = s.get('additionalProperties', True)
        for k, v in value.items():
            if k in props:
                errors += conform(v, props[k], f'{where}.{k}')
            elif extra is False:
                errors.append(f'{where}: unexpected property {k}')
            elif isinstance(extra, dict):
                errors += conform(v, extra, f'{where}.{k}')
    if isinstance(value, list) and 'items' in s:
        for i, v in enumerate(value):
            errors += conform(v, s['items'], f'{where}[{i}]')
    return errors


# ------------------------------------------------------------- the server
data_dir = tempfile.mkdtemp(prefix='dualuse-openapi-')


def cli(*args):
    return subprocess.run([BINARY, *args, '--data-dir', data_dir], check=True, capture_output=True,
                          text=True).stdout.strip()


def add_user(name, role, org=None):
    cli('users', 'add', name, '--role', role, *(['--organisation', org] if org else []))
    return cli('users', 'token', name)


tokens = {
    'officer': add_user('olga', 'officer', 'Example B.V.'),
    'reviewer': add_user('rik', 'reviewer'),
    'authority': add_user('ada', 'authority'),
    'authority2': add_user('bea', 'authority'),
    'admin': add_user('root', 'admin'),
}
spare = add_user('sam', 'officer')  # its token is revoked through the API
spare_token_id = spare.split('_')[1]

server = subprocess.Popen([BINARY, 'serve', '--port', '0', '--data-dir', data_dir, '--list', UN_LIST],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = None
for line in server.stdout:
    m = re.search(r'listening on http://127\.0\.0\.1:(\d+)', line)
    if m:
        port = int(m.group(1))
        break
threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
BASE = f'http://127.0.0.1:{port}'

exercised = set()  # (method, template) requested with a token


def call(method, template, role, body=None, path=None, query='', want=None):
    """Requests the operation; checks status and shape against the document.

    With a token the answer must be a success unless `want` names another
    status; without one, 401."""
    url = BASE + (path or template) + query
    data = None if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if role:
        req.add_header('Authorization', 'Bearer ' + tokens[role])
    if data is not None:
        req.add_header('Content-Type', 'application/json')
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            status, ctype, text = res.status, res.headers.get('Content-Type', ''), res.read().decode()
    except urllib.error.HTTPError as e:
        status, ctype, text = e.code, e.headers.get('Content-Type', ''), e.read().decode()
    op = DOC['paths'].get(template, {}).get(method.lower())
    what = f'{method} {template}{query} as {role or "nobody"} -> {status}'
    if not check(op is not None, f'{method} {template} is documented'):
        return status, None
    if role:
        exercised.add((method, template))
    expected = want if want is not None else (401 if role is None and template not in ('/healthz', '/openapi.json') else None)
    if expected is not None:
        check(status == expected, f'{what}: expected {expected}' + ('' if status == expected else f': {text[:300]}'))
    else:
        check(200 <= status < 300, f'{what}: a success' + ('' if status < 300 else f': {text[:300]}'))
    responses = op.get('responses', {})
    if not check(str(status) in responses, what + ' is a documented status'
                 + ('' if str(status) in responses else f' ({sorted(responses)}): {text[:300]}')):
        return status, None
    content = responses[str(status)].get('content', {})
    value = None
    if 'application/json' in ctype:
        value = json.loads(text)
        schema = content.get('application/json', {}).get('schema')
        check(schema is not None, what + ': JSON answer documented as JSON')
        if schema is not None:
            errors = conform(value, schema)
            check(not errors, what + ': conforms' + ('' if not errors else ': ' + '; '.join(errors[:3])))
    else:
        kind = ctype.split(';')[0]
        check(kind in content, what + f': {kind} documented')
    return status, value


try:
    check(port is not None, 'dualuse serve started')

    # -------------------------------------------------- plain and screening
    call('GET', '/healthz', None)
    call('GET', '/openapi.json', None)
    call('GET', '/me', 'officer')
    _, hit = call('POST', '/screen', 'officer', {'name': 'Korea Mining Development Trading Corporation'})
    call('POST', '/screen', 'officer', {'parties': [{'id': 'a', 'name': 'Example Trading B.V.'},
                                                     {'id': 'b', 'name': 'KOMID'}]})
    call('POST', '/match/{dataset}', 'officer', {'queries': {'q1': {'schema': 'Company', 'properties':
                                                 {'name': ['Korea Mining Development Trading']}}}},
         path='/match/default')
    entity = f'un_sc-{hit["matches"][0]["entity_id"]}'
    call('GET', '/entities/{id}', 'officer', path='/entities/' + entity)
    call('GET', '/catalog', 'officer')
    call('GET', '/algorithms', 'officer')
    call('GET', '/lists', 'officer')

    # ------------------------------------------------------------ assessment
    seed = json.load(open(os.path.join(SOURCE, 'examples', 'seed-case-3894.json')))
    _, note_det = call('POST', '/assess', 'officer', seed)
    licence_req = {
        'schema': 'dualuse.assessment/1', 'reference': 'OA-1', 'activity': 'export',
        'exporter': {'name': 'Example B.V.', 'country': 'NL', 'has_icp': True}, 'destination': 'CN',
        'items': [{'id': '1', 'description': 'IMSI catcher', 'kind': 'goods', 'control_entries': ['5A001.f'],
                   'cyber_surveillance': True, 'quantity': 10, 'value_eur': 100000}],
        'parties': [{'role': 'end_user', 'name': 'Example Telecom Co., Ltd', 'country': 'CN',
                     'type': 'organization', 'sector': 'telecom_operator'}],
        'end_use': {'description': 'lawful interception for the operator network'},
        'knowledge': {'informed': [], 'aware': [], 'suspects': []}}
    _, app_det = call('POST', '/assess', 'officer', licence_req)
    check(app_det and app_det['verdict'] == 'licence_required', 'the listed item needs a licence')
    call('GET', '/records', 'officer')
    _, recs = call('GET', '/records', 'officer', query='?kind=assessment')
    record_id = recs['records'][0]['id']
    call('GET', '/records/{id}', 'officer', path=f'/records/{record_id}')
    call('POST', '/records/{id}/replay', 'officer', path=f'/records/{record_id}/replay')
    _, queue = call('GET', '/review', 'reviewer')
    alert = queue['items'][0]['id']
    call('POST', '/review/{id}/decision', 'reviewer', {'decision': 'confirmed', 'reason': 'same entity'},
         path=f'/review/{alert}/decision')

    # ------------------------------------------------ known false positives
    _, good = call('POST', '/review/good-guys', 'reviewer',
                   {'counterparty': 'Example Mining S.A.C.', 'list': 'un_sc',
                    'entity_id': hit['matches'][0]['entity_id'],
                    'reason': 'a mining company in Peru, other register'}, want=201)
    call('GET', '/review/good-guys', 'reviewer')
    call('POST', '/review/good-guys/{id}/remove', 'reviewer', {'reason': 'entered in error'},
         path=f'/review/good-guys/{good["id"]}/remove')

    # -------------------------------------------------------- classification
    call('GET', '/classify/search', 'officer', query='?q=imsi+catcher')
    call('GET', '/classify/entries/{code}', 'officer', path='/classify/entries/5A001')
    _, trees = call('GET', '/classify/trees', 'officer')
    call('GET', '/classify/trees/{tree}', 'officer', path='/classify/trees/' + trees['trees'][0]['id'])
    answers = json.load(open(os.path.join(SOURCE, 'tests', 'data', 'classify', 'answers-art-2-20-in-scope.json')))
    _, cr = call('POST', '/classify/records', 'officer', answers)
    call('GET', '/classify/records/{id}', 'officer', path='/classify/records/' + cr['id'])
    _, criteria = call('GET', '/criteria', 'authority')

    # ------------------------------------------------------------ authority
    def filing(request, det):
        return {'schema': 'dualuse.authority-filing/1', 'request': request, 'determination': det,
                'filed_on': TODAY}

    _, app1 = call('POST', '/authority/filings', 'officer', filing(licence_req, app_det))
    _, app2 = call('POST', '/authority/filings', 'officer', filing(licence_req, app_det))
    _, note = call('POST', '/authority/filings', 'officer', filing(seed, note_det))
    call('GET', '/authority/filings', 'authority')
    call('GET', '/authority/filings/{id}', 'authority', path='/authority/filings/' + app1['id'])
    call('GET', '/authority/status', 'officer')

    def assessment(app_id, risky=None):
        return {'application_id': app_id, 'officer': 'ada', 'date': TODAY, 'answers': [
            {'criterion': c['id'], 'finding': 'clear_risk' if c['id'] == risky else 'no_concern',
             'reasoning': 'considered (test)'} for c in criteria['criteria']]}

    call('POST', '/authority/assessments', 'authority', assessment(app1['id']))
    next_year = TODAY.replace(TODAY[:4], str(int(TODAY[:4]) + 1), 1)
    _, grant = call('POST', '/authority/decisions', 'authority', {
        'application_id': app1['id'], 'date': TODAY, 'kind': 'grant', 'licence_type': 'individual',
        'validity': {'from': TODAY, 'until': next_year},
        'allowances': [{'item_id': '1', 'quantity': 10, 'value_eur': 100000}]})
    call('GET', '/authority/decisions/{id}/letter', 'authority',
         path=f'/authority/decisions/{grant["id"]}/letter')
    # Decided already: 409 with the reason.
    _, conflict = call('POST', '/authority/decisions', 'authority2', {
        'application_id': app1['id'], 'date': TODAY, 'kind': 'deny', 'reason': 'again', 'criteria': []},
        want=409)
    check(grant['id'] in conflict['error']['message'], 'the conflict names the decision taken: '
          + conflict['error']['message'])
    _, reg = call('GET', '/authority/licences', 'authority')
    lic = reg['licences'][0]['licence_number']
    call('POST', '/authority/bookings', 'officer', {'licence_id': lic, 'date': TODAY, 'item_id': '1',
                                                    'quantity': 4, 'value_eur': 40000, 'reference': 'MRN 1'})
    risky = next(c['id'] for c in criteria['criteria'] if c.get('on_clear_risk') == 'deny')
    call('POST', '/authority/assessments', 'authority', assessment(app2['id'], risky))
    _, denial = call('POST', '/authority/decisions', 'authority', {
        'application_id': app2['id'], 'date': TODAY, 'kind': 'deny', 'reason': 'clear risk (test)',
        'criteria': [risky]})
    _, denials = call('GET', '/authority/denials', 'authority')
    call('POST', '/authority/denials', 'authority', denials)
    _, app3 = call('POST', '/authority/filings', 'officer', filing(licence_req, app_det))
    _, case3 = call('GET', '/authority/filings/{id}', 'authority', path='/authority/filings/' + app3['id'])
    denial_id = (case3['prior_denials'] or [{}])[0].get('denial', {}).get('id') \
        or denials['denials'][0]['id']
    call('POST', '/authority/consultations', 'authority', {
        'application_id': app3['id'], 'denial_id': denial_id, 'date': TODAY,
        'consulted_authority': denials.get('issuing_authority') or 'Competent authority',
        'outcome': 'the issuing authority maintains its denial (test)'})
    call('POST', '/authority/decisions', 'authority', {
        'application_id': note['id'], 'date': TODAY, 'kind': 'impose_requirement', 'reason': 'test'})
    call('GET', '/authority/report', 'authority', query=f'?year={TODAY[:4]}')

    # ------------------------------------------------------- administration
    call('GET', '/users', 'admin')
    call('POST', '/users/{name}/disable', 'admin', path='/users/sam/disable')
    call('POST', '/users/{name}/enable', 'admin', path='/users/sam/enable')
    call('POST', '/tokens/{id}/revoke', 'admin', path=f'/tokens/{spare_token_id}/revoke')

    # ------------------------------------------- every documented operation
    for template, ops in DOC['paths'].items():
        for method in ops:
            m = method.upper()
            check((m, template) in exercised or template in ('/healthz', '/openapi.json'),
                  f'{m} {template} was requested with a token')
            if '401' in ops[method]['responses']:
                # a value of the form the route accepts (record numbers, token ids)
                sample = '0123456789ab' if template.startswith('/tokens/') else '1'
                path = re.sub(r'\{[^}]+\}', sample, template)
                call(m, template, None, body='{}' if m == 'POST' else None, path=path)

    # ------------------------------------- every served route is documented
    served = []
    src = lambda *p: open(os.path.join(SOURCE, *p), encoding='utf-8').read()
    server_cc = src('src', 'server', 'server.cc')
    served += re.findall(r'Api\("(GET|POST)",\s*R?"\(?([^"]*?)\)?"', server_cc)
    served += [('GET', p) for p in re.findall(r'http_\.Get\("([^"]+)"', server_cc)]
    classify_cc = src('src', 'server', 'classify_routes.cc')
    served += [(m.upper(), p) for m, p in re.findall(r'\b(get|post)\(\s*R?"\(?([^"]*?)\)?",', classify_cc)]
    api_cc = src('src', 'authority', 'api.cc')
    table = re.findall(r'\{"(GET|POST)", "(/authority/[^"]+)"\}', api_cc)
    check(len(table) >= 10, f'the authority route table has {len(table)} routes')
    check(len(served) >= 25, f'{len(served)} server registrations found')
    ui_files = {'/', r'/assets/(.+)'}
    for m, pattern in served:
        if pattern in ui_files:
            continue
        rx = re.compile(pattern)
        documented = any(m.lower() in ops and rx.fullmatch(re.sub(r'\{[^}]+\}', 'x1', t))
                         for t, ops in DOC['paths'].items())
        # A documented template instantiated with a value the route accepts.
        documented = documented or any(
            m.lower() in ops and rx.fullmatch(re.sub(r'\{[^}]+\}', sample, t))
            for t, ops in DOC['paths'].items() for sample in ('1', 'default', '0123456789ab', 'disable'))
        check(documented, f'served {m} {pattern} is documented')
    for m, t in table:
        check(m.lower() in DOC['paths'].get(t, {}), f'served {m} {t} is documented')
finally:
    server.terminate()
    server.wait(timeout=30)
    shutil.rmtree(data_dir, ignore_errors=True)
    print(f'{passed} passed, {failed} failed')
    sys.exit(1 if failed else 0)
