import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * Access to a workload's rendered pod spec, after cdk8s-plus has mapped it
 * through the Kubernetes 1.27 schema.
 *
 * cdk8s-plus-27's generated objects re-map every field through the 1.27
 * types, so a JSON patch that adds a field 1.27 lacks is silently dropped.
 * Editing the manifest after that mapping keeps every field we add.
 *
 * @internal
 */

/** A function that edits a rendered manifest in place. */
export type ManifestEditor = (manifest: any) => void;

const EDITORS = new WeakMap<ApiObject, ManifestEditor[]>();

/**
 * Registers `editor` to run on `workload`'s manifest every time it is
 * rendered, after cdk8s-plus's own rendering, in registration order.
 */
export function onRender(workload: kplus.AbstractPod, editor: ManifestEditor): void {
  onRenderObject(ApiObject.of(workload), editor);
}

/** `onRender` for any API object. */
export function onRenderObject(obj: ApiObject, editor: ManifestEditor): void {
  let editors = EDITORS.get(obj);
  if (!editors) {
    const list: ManifestEditor[] = [];
    editors = list;
    EDITORS.set(obj, list);
    const render = obj.toJson.bind(obj);
    obj.toJson = () => {
      const manifest = render();
      for (const edit of list) edit(manifest);
      return manifest;
    };
  }
  editors.push(editor);
}

/** The pod spec inside a rendered workload manifest, by kind. */
export function podSpecOf(manifest: any): any {
  switch (manifest.kind) {
    case 'Pod':
      return manifest.spec;
    case 'CronJob':
      return manifest.spec.jobTemplate.spec.template.spec;
    default:
      return manifest.spec.template.spec;
  }
}

/** The pod template metadata inside a rendered workload manifest (not for Pod). */
export function podMetadataOf(manifest: any): any {
  switch (manifest.kind) {
    case 'Pod':
      return (manifest.metadata ??= {});
    case 'CronJob':
      return (manifest.spec.jobTemplate.spec.template.metadata ??= {});
    default:
      return (manifest.spec.template.metadata ??= {});
  }
}
