/**
 * The administrative tree as routing needs it: each region's path to the root (cached once, so routing walks an
 * array instead of chasing parents), depth, children, and leaves. Built once per list version; immutable.
 */
import { invalidAs } from '../errors.ts';
import type { RoutingRegion } from './routing.types.ts';

const LEVEL_RANK: Readonly<Record<RoutingRegion['level'], number>> = { city: 0, district: 1, street: 2, community: 3 };

export class RegionTree {
  private readonly byId = new Map<string, RoutingRegion>();
  private readonly paths = new Map<string, readonly string[]>();
  private readonly children = new Map<string, string[]>();
  private readonly leafCounts = new Map<string, number>();
  private readonly rootIds: string[] = [];
  private readonly leafIds: string[] = [];

  /** @throws DomainError VALIDATION_FAILED (field `regions`) on a duplicate id, unknown parent, cycle or bad level. */
  constructor(regions: readonly RoutingRegion[]) {
    for (const region of regions) {
      if (typeof region.id !== 'string' || region.id === '') throw invalidAs('regions', { key: 'routing.region_has_empty_id' }, 'a region has an empty id');
      if (this.byId.has(region.id)) throw invalidAs('regions', { key: 'routing.duplicate_region_id', params: { id: String(region.id) } }, `duplicate region id ${region.id}`, { regionId: region.id });
      if (!(region.level in LEVEL_RANK)) {
        throw invalidAs('regions', { key: 'routing.region_has_unknown_level', params: { id: String(region.id), level: String(region.level) } }, `region ${region.id} has unknown level ${String(region.level)}`, { regionId: region.id });
      }
      this.byId.set(region.id, { id: region.id, parentId: region.parentId, level: region.level });
      this.children.set(region.id, []);
    }
    for (const region of this.byId.values()) {
      if (region.parentId === null) {
        this.rootIds.push(region.id);
        continue;
      }
      const parent = this.byId.get(region.parentId);
      if (!parent) {
        throw invalidAs('regions', { key: 'routing.region_has_unknown_parent', params: { id: String(region.id), parentId: String(region.parentId) } }, `region ${region.id} has unknown parent ${region.parentId}`, { regionId: region.id });
      }
      // Levels only need to grow downwards: some cities have streets/towns directly under the city (东莞, 中山).
      if (LEVEL_RANK[region.level] <= LEVEL_RANK[parent.level]) {
        throw invalidAs('regions', { key: 'routing.region_cannot_under', params: { id: String(region.id), level: String(region.level), id2: String(parent.id), level2: String(parent.level) } }, `region ${region.id} (${region.level}) cannot be under ${parent.id} (${parent.level})`, {
          regionId: region.id,
        });
      }
      this.children.get(parent.id)!.push(region.id);
    }
    for (const id of this.byId.keys()) this.computePath(id);
    for (const [id, kids] of this.children) if (kids.length === 0) this.leafIds.push(id);
    for (const leaf of this.leafIds) for (const id of this.paths.get(leaf)!) this.leafCounts.set(id, (this.leafCounts.get(id) ?? 0) + 1);
  }

  private computePath(start: string): void {
    // Walk up until a region with a known path. Levels growing downwards already exclude cycles; the seen-set is a
    // guard so that a future relaxation of that check can never turn into an endless loop.
    const chain: string[] = [];
    const seen = new Set<string>();
    let id: string | null = start;
    let tail: readonly string[] = [];
    while (id !== null) {
      const known = this.paths.get(id);
      if (known) {
        tail = known;
        break;
      }
      if (seen.has(id)) throw invalidAs('regions', { key: 'routing.regions_form_cycle_through', params: { id: String(id) } }, `regions form a cycle through ${id}`, { regionId: id });
      seen.add(id);
      chain.push(id);
      id = this.byId.get(id)!.parentId;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      tail = Object.freeze([chain[i], ...tail]);
      this.paths.set(chain[i], tail);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** Every region id, in input order. */
  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): RoutingRegion | undefined {
    return this.byId.get(id);
  }

  /** The region itself first, then its parent, … up to the root; undefined for an unknown id. */
  pathOf(id: string): readonly string[] | undefined {
    return this.paths.get(id);
  }

  /** 0 for a root. -1 for an unknown id. */
  depthOf(id: string): number {
    const path = this.paths.get(id);
    return path ? path.length - 1 : -1;
  }

  childrenOf(id: string): readonly string[] {
    return this.children.get(id) ?? [];
  }

  roots(): readonly string[] {
    return this.rootIds;
  }

  /** Regions without children (usually communities; a street with no community is a leaf too). */
  leaves(): readonly string[] {
    return this.leafIds;
  }

  isLeaf(id: string): boolean {
    return this.byId.has(id) && this.children.get(id)!.length === 0;
  }

  /** Number of leaves in the region's subtree (1 for a leaf). */
  leafCountOf(id: string): number {
    return this.leafCounts.get(id) ?? 0;
  }

  /** "street S11" — for messages. */
  label(id: string): string {
    const region = this.byId.get(id);
    return region ? `${region.level} ${id}` : `region ${id}`;
  }

  /**
   * The maximal subtrees that contain no region of `covered` and lie below no region of `covered`: each is
   * returned by its top region, so "a whole street is uncovered" is one entry, not one per community.
   * Cost: O(|covered| × depth + regions visited), independent of the leaves inside uncovered subtrees.
   */
  uncoveredSubtrees(covered: ReadonlySet<string>): string[] {
    const coveredBelow = new Set<string>();
    for (const id of covered) {
      const path = this.paths.get(id);
      if (!path) continue;
      for (const ancestor of path) {
        if (coveredBelow.has(ancestor)) break;
        coveredBelow.add(ancestor);
      }
    }
    const out: string[] = [];
    const visit = (id: string): void => {
      if (covered.has(id)) return;
      if (!coveredBelow.has(id)) {
        out.push(id);
        return;
      }
      for (const child of this.children.get(id)!) visit(child);
    };
    for (const root of this.rootIds) visit(root);
    return out;
  }
}
