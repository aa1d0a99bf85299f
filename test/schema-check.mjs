// Validates manifests (JSON on stdin: [{ label, object }]) against the Kubernetes OpenAPI
// schemas of kubernetes-models, which ships as ES modules only and so cannot load inside Jest.
// Prints a JSON list of failures: [{ label, error }].
const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));
const failures = [];
for (const { label, object } of input) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [undefined, object.apiVersion];
  const module = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  try {
    const Model = (await import(module))[object.kind];
    if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
    new Model(object).validate();
  } catch (error) {
    failures.push({ label, error: String(error && error.message ? error.message : error) });
  }
}
process.stdout.write(JSON.stringify(failures));
