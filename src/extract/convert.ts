import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ReadError } from '../record/errors.js';

/**
 * Word's binary formats (.doc, WPS Office's .wps) and RTF → .docx, by LibreOffice: we read no binary Word
 * ourselves. Each conversion runs soffice headless, without a shell, in a fresh profile of its own (so
 * conversions can run side by side and none inherits a user's settings) that forbids macros, under a time
 * limit; the file goes to a private temporary folder that is removed afterwards.
 */

export const CONVERT_SETTINGS = {
  command: 'soffice',
  /** Under the batch's default per-file limit (60 s), so that a slow conversion is ours to stop, not the worker's death. */
  timeoutMs: 45_000,
  /** What soffice may say on stderr that we keep for the error message. */
  stderrBytes: 2000,
};

export const INSTALL_HINT = 'install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) so that soffice is on PATH, or save the file as .docx';

/** macros never run (level 3 = only from trusted locations, of which the fresh profile has none; execution off). */
const PROFILE_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
`;

/** The soffice on PATH, or null. */
export const findSoffice = (path = process.env.PATH ?? '') => findOnPath(CONVERT_SETTINGS.command, path);

function findOnPath(command: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** A binary Word file, an RTF or an OpenDocument text (`ext` names which, for LibreOffice's detection) → the bytes of a .docx. */
export async function convertToDocx(bytes: Uint8Array, ext: 'doc' | 'rtf' | 'odt', what: string): Promise<Buffer> {
  const soffice = findSoffice();
  if (!soffice) throw new ReadError('needs_converter', `${what} is a .${ext} file: reading it needs LibreOffice; ${INSTALL_HINT}`);
  const dir = await mkdtemp(join(tmpdir(), 'xxgk-soffice-'));
  try {
    const profile = join(dir, 'profile');
    await mkdir(join(profile, 'user'), { recursive: true });
    await writeFile(join(profile, 'user', 'registrymodifications.xcu'), PROFILE_SETTINGS);
    const input = join(dir, `input.${ext}`);
    await writeFile(input, bytes, { mode: 0o600 });
    const args = [
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      '--headless', '--invisible', '--nologo', '--norestore', '--nodefault', '--nolockcheck',
      '--convert-to', 'docx:MS Word 2007 XML', '--outdir', join(dir, 'out'), input,
    ];
    const stderr = await run(soffice, args, dir, what);
    try {
      return await readFile(join(dir, 'out', 'input.docx'));
    } catch {
      throw new ReadError('corrupt', `${what}: LibreOffice could not convert it to .docx${stderr ? ` (${stderr})` : ''}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs soffice in its own process group, so that a timeout stops it and every process it started. Under
 * coreutils' timeout where there is one: a batch worker killed mid-file (its own time or memory limit)
 * cannot stop soffice any more, timeout still does.
 */
function run(command: string, args: string[], home: string, what: string): Promise<string> {
  const seconds = CONVERT_SETTINGS.timeoutMs / 1000;
  const timeout = findOnPath('timeout');
  const [file, argv] = timeout ? [timeout, ['-s', 'KILL', String(seconds), command, ...args]] : [command, args];
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(file, argv, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: home } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < CONVERT_SETTINGS.stderrBytes) stderr += d.toString('utf8');
    });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const tooLong = () => new ReadError('timeout', `${what}: LibreOffice took longer than ${seconds} s to convert it`);
    const timer = setTimeout(() => {
      killGroup();
      rejectRun(tooLong());
    }, CONVERT_SETTINGS.timeoutMs + 1000);
    child.once('error', (err) => {
      clearTimeout(timer);
      rejectRun(new ReadError('corrupt', `${what}: cannot run ${command} (${err.message})`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      killGroup(); // a helper it left behind
      // timeout(1) exits 137 when it had to kill
      if (code === 137 || signal === 'SIGKILL') return rejectRun(tooLong());
      resolveRun(stderr.replace(/\s+/g, ' ').trim().slice(0, CONVERT_SETTINGS.stderrBytes));
    });
  });
}
