// dist/cjs holds CommonJS in a "type": "module" package: say so for Node's resolver.
import { writeFileSync } from "node:fs";
writeFileSync(new URL("../dist/cjs/package.json", import.meta.url), JSON.stringify({ type: "commonjs" }) + "\n");
