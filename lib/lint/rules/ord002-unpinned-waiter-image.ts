/** ORD002: a waiter image without a tag or digest, or tagged `latest`. */
import { Model } from '../model';
import { finding, Problem, Severity, waitersOf } from './rule';

export const id = 'ORD002';
export const severity: Severity = 'error';
export const title = 'a waiter image without a tag, or tagged `latest`';
export const needsAnnotations = false;
export const description = `A waiter init container whose image has no tag and no digest, or the tag \`latest\`.

Each node pulls such an image when it first needs it, so nodes may run different waiters than the one you tested, and
a waiter that changes its shell or its \`kubectl\` can stop every pod from starting. API waiters also hold a
ServiceAccount token, so whatever the image turns into can read what the waiters' Role grants.

Fix: pin the image by digest, e.g. \`busybox:1.36.1@sha256:<digest>\` (\`crane digest busybox:1.36.1\` or
\`docker buildx imagetools inspect busybox:1.36.1\` prints it): a digest names one image for good, where a tag can be
moved to another one by whoever can push to the repository. A version tag such as \`busybox:1.36.1\` is accepted (the
default images are pinned by tag), but only a digest is pinned. Set it with \`OrderedAppProps.waiterImage\` and
\`kubectlImage\`, or the image given to \`WaitFor.command\`. Without the dependencies annotation, init containers named
\`wait-for-*\` are taken as waiters.`;

/** An image reference with a tag (a colon after the last slash), and one tagged latest. */
const TAGGED = /:[^/]+$/;
const LATEST = /:latest$/;

/**
 * The image, pinned by digest, as the fix to show: its own repository where it
 * has one, with a version in place of a missing tag or of `latest`.
 */
function example(image: unknown): string {
  const repo = typeof image === 'string' && image !== '' ? image.replace(LATEST, '') : 'busybox';
  return `${repo}:<version>@sha256:<digest>`;
}

export function check(model: Model): Problem[] {
  const out: Problem[] = [];
  for (const w of model.workloads) {
    for (const c of waitersOf(w)) {
      const image = c?.image;
      const why = typeof image !== 'string' || image === '' ? 'has no image'
        : image.includes('@') ? undefined
          : !TAGGED.test(image) ? `image '${image}' has no tag`
            : LATEST.test(image) ? `image '${image}' is tagged latest` : undefined;
      if (!why) continue;
      out.push(finding(model, w, { id, severity },
        `waiter ${c?.name} ${why}, so a node may pull a different waiter than you tested. `
        + `Fix: pin it by digest, e.g. ${example(image)} (OrderedApp waiterImage / kubectlImage, or the image of WaitFor.command)`));
    }
  }
  return out;
}
