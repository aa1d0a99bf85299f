// Reads [{ label, object }] as JSON on stdin and checks each object with the kubernetes-models
// OpenAPI validator (an ES-modules-only package, hence a separate Node process rather than Jest).
// Writes the failures as JSON: [{ label, error }].
let text = '';
for await (const chunk of process.stdin) text += chunk;
const failures = [];
for (const { label, object } of JSON.parse(text)) {
  const slash = object.apiVersion.indexOf('/');
  const path = slash < 0 ? `kubernetes-models/${object.apiVersion}` : `kubernetes-models/${object.apiVersion.slice(0, slash)}/${object.apiVersion.slice(slash + 1)}`;
  try {
    const Model = (await import(path))[object.kind];
    if (!Model) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
    new Model(object).validate();
  } catch (error) {
    failures.push({ label, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(failures));
