// Validates manifests (JSON on stdin: [{ label, object }]) against the Kubernetes OpenAPI
// schemas of kubernetes-models (and @kubernetes-models/gateway-api), which ships as ES modules only and so cannot load inside Jest.
// Prints a JSON list of failures: [{ label, error }].
const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));
const failures = [];
for (const { label, object } of input) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [undefined, object.apiVersion];
  // Gateway API kinds come from @kubernetes-models/gateway-api, the rest from kubernetes-models.
  const base = group === 'gateway.networking.k8s.io' ? '@kubernetes-models/gateway-api' : 'kubernetes-models';
  const module = group ? `${base}/${group}/${version}` : `${base}/${version}`;
  try {
    const Model = (await import(module))[object.kind];
    if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
    new Model(object).validate();
  } catch (error) {
    failures.push({ label, error: String(error && error.message ? error.message : error) });
  }
}
process.stdout.write(JSON.stringify(failures));
