import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The one file that touches cdk8s internals. cdk8s-plus renders late through
 * `Lazy`, and a chart's own `toJson` override: both are open to the objects
 * one owns. This library edits objects it does not own (workloads built with
 * any cdk8s-plus version, or raw), after their builder rendered them:
 * cdk8s-plus-27's objects re-map every field through the 1.27 schema, so a
 * JSON patch or a `Lazy` value that adds a field 1.27 lacks (a native
 * sidecar's `restartPolicy`) would be dropped, and no public hook runs after
 * an object's own render. So here, and only here, a workload's `toJson`, its
 * chart's `toJson` and the App's `synth`/`synthYaml` are wrapped.
 *
 * All of it is held by one `Session` per construct tree (on its root), so no
 * state lives at module level: two Apps never share anything.
 *
 * @internal
 */

/**
 * Edits a render: handed the object and its builder's render. One function
 * serves every object it edits, so that an edited object costs an entry here
 * and no closures of its own.
 */
export type RenderEdit = (obj: ApiObject, asWritten: () => any) => any;

/** An object whose render is edited: its builder's render, and the edit. */
interface Edited {
  /** What was its `toJson` (called on the object). */
  readonly original: () => any;
  readonly edit: RenderEdit;
}

/** Where a tree's session is kept: on its root construct. */
const SESSION = Symbol('cdk8s-ordered session');

/** What this library holds of one construct tree while its Apps synthesize. */
export class Session {
  /** The session of the tree `scope` is in (made on first use). */
  public static of(scope: IConstruct): Session {
    const root = scope.node.root as any;
    return root[SESSION] ??= new Session(root);
  }

  /**
   * The construct path that generated each object an OrderedApp added to a
   * chart, for an error that names both writers of one id (several
   * OrderedApps may write into one chart).
   */
  public readonly generatedBy = new WeakMap<any, string>();
  private readonly edited = new WeakMap<ApiObject, Edited>();
  private readonly chartEditors = new WeakMap<Chart, Array<(manifests: any[]) => any[]>>();
  /** Objects whose next render hands out a manifest rendered before (see `lendRender`). */
  private readonly lent = new WeakSet<ApiObject>();
  /** Called as each synthesis of the App starts and ends. */
  private readonly listeners: Array<() => void> = [];
  /** How many of the App's syntheses are under way (`synth()` and `synthYaml()`; one may call the other). */
  private syntheses = 0;

  private constructor(root: IConstruct) {
    if (root instanceof App) this.wrapSynthesis(root);
  }

  /** Whether the App is synthesizing now (not a chart rendered on its own). */
  public get synthesizing(): boolean {
    return this.syntheses > 0;
  }

  /** Calls `reset` as each synthesis of the App starts and as it ends (nothing from one carries over to the next). */
  public onSynthesis(reset: () => void): void {
    this.listeners.push(reset);
  }

  /** `obj` rendered as its builder wrote it, without our edit (never a lent render). */
  public renderAsWritten(obj: ApiObject): any {
    const edited = this.edited.get(obj);
    if (edited) return edited.original.call(obj);
    if (this.lent.has(obj)) {
      this.lent.delete(obj);
      delete (obj as any).toJson;
    }
    return obj.toJson();
  }

  /**
   * Makes the next render of `obj` (only the next) hand out `manifest`, which
   * was rendered from it a moment before, so that a synthesis does not render
   * it twice. Objects whose render anything else replaces are left alone.
   */
  public lendRender(obj: ApiObject, manifest: any): void {
    if (this.edited.has(obj) || Object.prototype.hasOwnProperty.call(obj, 'toJson')) return;
    this.lent.add(obj);
    const lent = this.lent;
    obj.toJson = () => {
      lent.delete(obj);
      delete (obj as any).toJson;
      return manifest;
    };
  }

  /** Makes every render of `obj` come from `edit` (one edit per object). */
  public editRender(obj: ApiObject, edit: RenderEdit): void {
    if (this.edited.has(obj)) throw new Error(`${obj.node.path} is already added to an OrderedApp`);
    this.edited.set(obj, { original: obj.toJson, edit });
    obj.toJson = renderEdited;
  }

  /** The edit of `obj`'s render, if it has one. */
  public editOf(obj: ApiObject): Edited | undefined {
    return this.edited.get(obj);
  }

  /** Makes every render of `chart` pass its manifests through `edit` (after any editor registered before). */
  public editChart(chart: Chart, edit: (manifests: any[]) => any[]): void {
    let editors = this.chartEditors.get(chart);
    if (!editors) {
      const list: Array<(manifests: any[]) => any[]> = [];
      editors = list;
      this.chartEditors.set(chart, list);
      const original = chart.toJson.bind(chart);
      chart.toJson = () => list.reduce((manifests, e) => e(manifests), original());
    }
    editors.push(edit);
  }

  /** Tells the listeners before and after each synthesis of `app` (`synth()` and `synthYaml()`), however it ends. */
  private wrapSynthesis(app: App): void {
    const changed = (delta: number) => {
      const before = this.syntheses;
      this.syntheses += delta;
      if ((delta > 0 && before === 0) || (delta < 0 && this.syntheses === 0)) for (const l of this.listeners) l();
    };
    for (const method of ['synth', 'synthYaml'] as const) {
      const original: (...args: any[]) => any = (app as any)[method].bind(app);
      (app as any)[method] = (...args: any[]) => {
        changed(1);
        try {
          return original(...args);
        } finally {
          changed(-1);
        }
      };
    }
  }
}

/** The `toJson` of every edited object: one function for all of them. */
function renderEdited(this: ApiObject): any {
  const edited = Session.of(this).editOf(this)!;
  return edited.edit(this, () => edited.original.call(this));
}

/** `obj` rendered as its builder wrote it (see `Session.renderAsWritten`). */
export function renderAsWritten(obj: ApiObject): any {
  return Session.of(obj).renderAsWritten(obj);
}

/** Hands `manifest` to the next render of `obj` (see `Session.lendRender`). */
export function lendRender(obj: ApiObject, manifest: any): void {
  Session.of(obj).lendRender(obj, manifest);
}
