/**
 * A workspace as every path sees it (the extension, the command line, import, export, check):
 * where a source's sidecar lives, which source a sidecar belongs to (by file name only, never its
 * `source:` field), and the rule that nothing is read or written outside the workspace.
 */
import { DEFAULT_MAX_SIDECAR_BYTES, SIDECAR_SUFFIX } from '../sidecar/model';
import { isSafeRelativePath, relativeSourceField, sidecarPathFor, sourcePathFor } from '../sidecar/paths';
import { ProjectError, basename, dirname, joinPath, relativeInside, type ProjectFs } from './files';

export const DICTIONARY_PATH = '.marginalia/dictionary.yaml';

export interface ProjectOptions {
  /** `marginalia.sidecar.folder`: sidecars mirrored under this workspace-relative folder ('' = beside). */
  sidecarFolder?: string;
  /** The sidecar size limit in bytes (marginalia.sidecar.maxSizeMB). */
  maxSidecarBytes?: number;
}

export class Project {
  readonly sidecarFolder: string;
  readonly maxSidecarBytes: number;
  private realRoot: Promise<string> | undefined;

  /** `root`: the workspace folder, absolute and `/`-separated in `fs`'s namespace. */
  constructor(readonly fs: ProjectFs, readonly root: string, options: ProjectOptions = {}) {
    this.root = root.length > 1 ? root.replace(/\/+$/, '') : root;
    const folder = (options.sidecarFolder ?? '').trim();
    if (folder && !isSafeRelativePath(folder)) {
      throw new ProjectError(`the sidecar folder "${folder}" leaves the workspace ${this.root}; give a folder inside it`, 'outside');
    }
    this.sidecarFolder = folder;
    this.maxSidecarBytes = options.maxSidecarBytes ?? DEFAULT_MAX_SIDECAR_BYTES;
  }

  /** Workspace-relative path of `abs`, or undefined when it is outside the workspace. */
  relative(abs: string): string | undefined {
    return relativeInside(this.root, abs);
  }

  /** How a path is shown in messages: workspace-relative when inside. */
  display(abs: string): string {
    const rel = this.relative(abs);
    return rel === undefined || rel === '' ? abs : rel;
  }

  absolute(rel: string): string {
    return joinPath(this.root, rel);
  }

  /** The sidecar of a source (absolute paths). A source outside the workspace has none. */
  sidecarFor(sourceAbs: string): string {
    const rel = this.relative(sourceAbs);
    if (rel === undefined || rel === '') throw new ProjectError(`${sourceAbs} is outside the workspace ${this.root}: its sidecar would be too; run from inside the workspace or give --workspace`, 'outside');
    const sidecarRel = sidecarPathFor(rel, this.sidecarFolder);
    if (!isSafeRelativePath(sidecarRel)) throw new ProjectError(`the sidecar of ${rel} would be outside the workspace`, 'outside');
    return this.absolute(sidecarRel);
  }

  /** The source a sidecar belongs to, by its file name alone; undefined when it is not a sidecar here. */
  sourceFor(sidecarAbs: string): string | undefined {
    const rel = this.relative(sidecarAbs);
    if (rel === undefined) return undefined;
    const src = sourcePathFor(rel, this.sidecarFolder);
    return src === undefined ? undefined : this.absolute(src);
  }

  /** The `source:` field written into a new sidecar: the source relative to the sidecar's folder. */
  sourceField(sourceAbs: string): string {
    const rel = this.relative(sourceAbs) ?? sourceAbs;
    return relativeSourceField(this.relative(this.sidecarFor(sourceAbs))!, rel);
  }

  isSidecar(abs: string): boolean {
    return abs.endsWith(SIDECAR_SUFFIX);
  }

  /**
   * True when `abs`, with every symlink resolved, is inside the workspace (with its symlinks
   * resolved too). A path that does not exist counts as inside when its own text is.
   */
  async containsReal(abs: string): Promise<boolean> {
    this.realRoot ??= this.fs.realpath(this.root).catch(() => this.root);
    const root = await this.realRoot;
    if (this.relative(abs) === undefined) return false;
    // The nearest part of the path that exists, with its links resolved, decides: a sidecar that
    // does not exist yet in a folder that is a link out of the workspace is outside.
    let rest = '';
    for (let p = abs; ; ) {
      try {
        const real = await this.fs.realpath(p);
        return relativeInside(root, rest ? `${real}/${rest}` : real) !== undefined;
      } catch {
        const up = dirname(p);
        if (up === p || relativeInside(this.root, up) === undefined) return true;
        rest = rest ? `${basename(p)}/${rest}` : basename(p);
        p = up;
      }
    }
  }

  /** Throws unless `abs` (symlinks resolved) is inside the workspace. */
  async assertInside(abs: string, what: string): Promise<void> {
    if (this.relative(abs) === undefined || !(await this.containsReal(abs))) {
      throw new ProjectError(`${what} ${this.display(abs)} is outside the workspace ${this.root} (or a link out of it); Marginalia never reads or writes there`, 'outside');
    }
  }
}
