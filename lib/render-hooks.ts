import { ApiObject, App, Chart } from 'cdk8s';

/**
 * The two places where synthesized output is edited: a workload's manifest
 * after its builder rendered it, and a chart's list of manifests.
 *
 * Editing after the builder's own rendering matters: cdk8s-plus-27's objects
 * re-map every field through the 1.27 schema, so a JSON patch that adds a
 * field 1.27 lacks (a native sidecar's `restartPolicy`) would be dropped.
 *
 * @internal
 */

/** An object whose render is edited: its builder's render, and the edit. */
interface Edited {
  /** What was its `toJson` (called on the object). */
  readonly original: () => any;
  readonly edit: RenderEdit;
}

/**
 * Edits a render: handed the object and its builder's render. One function
 * serves every object it edits, so that an edited object costs an entry here
 * and no closures of its own.
 */
export type RenderEdit = (obj: ApiObject, asWritten: () => any) => any;

const EDITED = new WeakMap<ApiObject, Edited>();
const CHART_EDITORS = new WeakMap<Chart, Array<(manifests: any[]) => any[]>>();

/** Objects whose next render hands out a manifest rendered before (see `lendRender`). */
const LENT = new WeakSet<ApiObject>();

/** `obj` rendered as its builder wrote it, without our edit (never a lent render). */
export function renderAsWritten(obj: ApiObject): any {
  const edited = EDITED.get(obj);
  if (edited) return edited.original.call(obj);
  if (LENT.has(obj)) {
    LENT.delete(obj);
    delete (obj as any).toJson;
  }
  return obj.toJson();
}

/**
 * Makes the next render of `obj` (only the next) hand out `manifest`, which
 * was rendered from it a moment before, so that a synthesis does not render
 * it twice. Objects whose render anything else replaces are left alone.
 */
export function lendRender(obj: ApiObject, manifest: any): void {
  if (EDITED.has(obj) || Object.prototype.hasOwnProperty.call(obj, 'toJson')) return;
  LENT.add(obj);
  obj.toJson = () => {
    LENT.delete(obj);
    delete (obj as any).toJson;
    return manifest;
  };
}

/** Makes every render of `obj` come from `edit` (one edit per object). */
export function editRender(obj: ApiObject, edit: RenderEdit): void {
  if (EDITED.has(obj)) throw new Error(`${obj.node.path} is already added to an OrderedApp`);
  EDITED.set(obj, { original: obj.toJson, edit });
  obj.toJson = renderEdited;
}

/** The `toJson` of every edited object. */
function renderEdited(this: ApiObject): any {
  const edited = EDITED.get(this)!;
  return edited.edit(this, () => edited.original.call(this));
}

/** Makes every render of `chart` pass its manifests through `edit` (after any editor registered before). */
export function editChart(chart: Chart, edit: (manifests: any[]) => any[]): void {
  let editors = CHART_EDITORS.get(chart);
  if (!editors) {
    const list: Array<(manifests: any[]) => any[]> = [];
    editors = list;
    CHART_EDITORS.set(chart, list);
    const original = chart.toJson.bind(chart);
    chart.toJson = () => list.reduce((manifests, e) => e(manifests), original());
  }
  editors.push(edit);
}

/**
 * Runs `enter` before and `leave` after each synthesis of `app`
 * (`synth()` and `synthYaml()`), however it ends.
 */
export function editSynthesis(app: App, enter: () => void, leave: () => void): void {
  for (const method of ['synth', 'synthYaml'] as const) {
    const original: (...args: any[]) => any = (app as any)[method].bind(app);
    (app as any)[method] = (...args: any[]) => {
      enter();
      try {
        return original(...args);
      } finally {
        leave();
      }
    };
  }
}
