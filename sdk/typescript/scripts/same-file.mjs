// Fails when the committed generated types differ from a fresh generation (CI's drift check).
import { readFileSync, rmSync } from "node:fs";
const [committed, fresh] = process.argv.slice(2);
const same = readFileSync(committed, "utf8") === readFileSync(fresh, "utf8");
rmSync(fresh);
if (!same) {
  console.error(`${committed} is out of date with ../openapi.json: run npm run generate`);
  process.exit(1);
}
