import { Chart } from 'cdk8s';
import { Component } from '../component';
import { DEPENDENCIES_ANNOTATION, WrittenEntries } from '../contract';
import { ChartWriter } from './charts';
import { edgesOf, graphErrors, startupOrder } from './check';
import { Decisions } from './decide';
import { AppIntent } from './intent';
import { AppliedPod, applyPod } from './pod';
import { Reading } from './read';
import { Session } from '../session';

/**
 * One synthesis of an `OrderedApp`, stage by stage: check the declared graph
 * (`check.ts`), read the manifests (`read.ts`), decide each edge's check
 * (`decide.ts`), apply the pod features (`pod.ts`), write the charts
 * (`charts.ts`). Nothing here runs when `dependsOn` is called, so the same
 * graph gives the same YAML whatever the call order, and whatever built the
 * workloads. Problems are collected, never thrown, so a validation reports
 * them all at once.
 *
 * @internal
 */

export class Plan {
  /** Computes the plan; `forSynthesis`: the charts are rendered next (each Service's render here is handed on to them). */
  public static compute(app: AppIntent, forSynthesis = false): Plan {
    return new Plan(app, forSynthesis);
  }

  /** Every problem found, all at once: construct path, value and fix in each. */
  public readonly errors: string[] = [];
  /** Components, dependencies first (declaration order when the graph has a cycle). */
  public readonly order: Component[];
  /**
   * The dependencies annotation's entries, by the manifest they were written
   * into: the synth-time lint reads them from here rather than parsing back
   * the text it was just given.
   */
  public readonly entriesWritten = new Map<any, WrittenEntries>();

  private readonly reading: Reading;
  /** What each component's pod and chart got. */
  private readonly applied = new Map<Component, AppliedPod>();
  /** Each component's final manifest, until it is taken (rendered): not held through the rest of the render. */
  private readonly manifests = new Map<Component, any>();
  private readonly writer?: ChartWriter;

  private constructor(app: AppIntent, forSynthesis: boolean) {
    const index = new Map(app.components.map((c, i) => [c, i]));
    const edges = edgesOf(app, index, false);
    this.order = startupOrder(app, edges);
    this.reading = new Reading(forSynthesis);
    this.errors.push(...graphErrors(app, index, edges));
    if (this.errors.length > 0) return;

    const root = app.components[0]?.workload.node.root;
    if (root) this.collect(() => this.reading.readServices(root));
    const restartTargets = new Set(app.waits.filter((w) => w.target && w.options.restartOnChange).map((w) => w.target!));
    for (const c of app.components) this.collect(() => this.reading.readComponent(c, restartTargets.has(c)));
    if (this.errors.length > 0) return;

    const decisions = new Decisions(app, this.reading, index);
    for (const c of this.order) {
      this.collect(() => {
        const decided = decisions.decide(c);
        const pod = applyPod(app, this.reading, c, decided);
        this.applied.set(c, pod);
        this.manifests.set(c, pod.manifest);
        if (pod.entries.length > 0) {
          this.entriesWritten.set(pod.manifest, { text: pod.manifest.metadata.annotations[DEPENDENCIES_ANNOTATION], entries: pod.entries });
        }
      });
    }
    this.writer = new ChartWriter({ app, order: this.order, index, edges, reading: this.reading, applied: this.applied },
      root ? Session.of(root).generatedBy : new WeakMap());
  }

  /** Every component's final manifest, in the graph's order (for drawing the graph: they stay the plan's). */
  public finalManifests(): any[] {
    return this.order.map((c) => this.applied.get(c)?.manifest).filter((m) => m !== undefined);
  }

  /** The workload's final manifest (taken once; undefined when already taken or not planned). */
  public takeManifest(c: Component): any {
    const m = this.manifests.get(c);
    this.manifests.delete(c);
    return m;
  }

  /** The warnings each component silences, by its workload's `Kind/name`. */
  public silenced(): Map<string, Set<string>> {
    return new Map(this.order.filter((c) => c._options.silence).map((c) => [`${c.kind}/${this.synthesizedName(c)}`, new Set(c._options.silence)]));
  }

  /** The name a component's workload is synthesized with. */
  public synthesizedName(c: Component): string {
    return this.reading.get(c)?.finalName ?? c.name;
  }

  /** A chart's manifests with what the app generated for it, ordered and annotated (see `ChartWriter`). */
  public editChart(chart: Chart, manifests: any[]): any[] {
    return this.writer ? this.writer.editChart(chart, manifests) : manifests;
  }

  private collect(step: () => void) {
    try {
      step();
    } catch (e) {
      this.errors.push((e as Error).message);
    }
  }
}
