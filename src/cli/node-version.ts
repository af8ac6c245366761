/**
 * The first thing the command does: refuse, in one line, a Node too old for it. Imported first by
 * main.ts, so it runs before any module that needs a newer Node (`node:sqlite` is unflagged from
 * 22.13), and written so that it parses on any Node that runs ES modules.
 */
const NEEDED: readonly [number, number] = [22, 13];

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < NEEDED[0] || (major === NEEDED[0] && minor < NEEDED[1])) {
  process.stderr.write(
    `gongkai: needs Node ≥ ${NEEDED.join('.')} (found ${process.versions.node}); 需要 Node ${NEEDED.join('.')} 以上版本。` +
      ' Inside the project, `npx gongkai` runs it on the project\'s own Node 24;' +
      ' otherwise install Node 24 LTS (https://nodejs.org/ or `npm install -g node@24`).\n',
  );
  process.exit(78); // EX_CONFIG: the machine's setup, not the input, is wrong
}

export {};
