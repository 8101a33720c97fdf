/**
 * The device registry API (issue 11 part 1; docs/issue-11/ingestion.md): device types, devices (create → credential
 * shown once, edit, rotate), bulk import with a per-row report, the list with filters and state counts, one device
 * with its ingestion counts, its readings (raw or rollups) and its history. Who sees which device is THE visibility
 * policy (a street sees its devices; a unit the devices it owns); a device one may not see is "not found".
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError, notFound, invalidAs } from '../../../domain/errors.ts';
import { canSeeCase } from '../../../domain/policy/visibility.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import type { Device } from '../../../domain/sensing/types.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { regionPathOf } from '../../../commands/case-transition.ts';
import { visibilityOf } from '../cases/case.load.ts';
import { createDevice, rotateDeviceCredential, saveDeviceType, updateDevice } from '../../../commands/device-save.ts';
import { importDevices, readTable } from '../../../commands/device-import.ts';
import { replaceSensingLimits } from '../../../commands/sensing-limits-replace.ts';
import { HOUR, MINUTE } from '../../../storage/repositories/reading.repository.ts';
import { ErrorResponse } from '../common.schema.ts';
import { presentDevice, presentStats } from './device.presenter.ts';
import {
  CreatedDeviceDto, DeviceBody, DeviceDetailDto, DeviceIdParam, DeviceListDto, DeviceListQuery, DevicePatch, DeviceTypeBody, DeviceTypeDto,
  HistoryDto, ImportReportDto, ReadingsDto, ReadingsQuery, SensingLimitsBody, SensingLimitsDto, STATE_NAMES, TypeIdParam,
} from './device.schema.ts';
import { Type } from 'typebox';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

/** A device's facts for THE visibility policy: its place's regions, and its owner unit. */
export function canSeeDevice(ctx: AppContext, p: Principal, d: Device): boolean {
  return canSeeCase(p, { regionPath: regionPathOf({ district_id: d.districtId, street_id: d.streetId, community_id: d.communityId }, ctx.ref), unitIds: [d.ownerUnitId] });
}

async function loadVisibleDevice(ctx: AppContext, p: Principal, id: string): Promise<Device> {
  const d = await ctx.store.devices.findDevice(id);
  if (!d || !canSeeDevice(ctx, p, d)) throw notFound('device', id);
  return d;
}

const typeMap = async (ctx: AppContext) => new Map((await ctx.store.devices.listTypes()).map((t) => [t.id, t]));

export async function deviceRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/device-types', {
    config: { permission: 'device.read' },
    schema: { tags: ['devices'], summary: 'Device types with their measurements, units, valid ranges and heartbeat', response: { 200: Type.Object({ items: Type.Array(DeviceTypeDto) }), ...ERRORS } },
  }, async () => ({ items: await ctx.store.devices.listTypes() }));

  app.put('/api/v1/device-types/:id', {
    config: { permission: 'device.manage' },
    schema: {
      tags: ['devices'], summary: 'Create or replace a device type', description: 'Readings outside a measurement\'s [min, max] are refused and counted per device.',
      params: TypeIdParam, body: DeviceTypeBody, response: { 200: DeviceTypeDto, ...ERRORS },
    },
  }, async (req) => saveDeviceType(ctx, { id: req.params.id, ...req.body }, principalOf(req).userId));

  app.get('/api/v1/devices', {
    config: { permission: 'device.read' },
    schema: { tags: ['devices'], summary: 'Devices in my scope, with filters and counts per state', querystring: DeviceListQuery, response: { 200: DeviceListDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    const state = q.state?.split(',');
    state?.forEach((s) => { if (!(STATE_NAMES as readonly string[]).includes(s)) throw invalidAs('state', { key: 'device.unknown_state', params: { s: String(s), allowed: STATE_NAMES.join(', ') } }, `unknown state "${s}" (${STATE_NAMES.join(', ')})`); });
    const list = await ctx.store.devices.listDevices({
      visibility: visibilityOf(p, ctx.ref), typeId: q.typeId, state, scenario: q.scenario, regionId: q.regionId, ownerUnitId: q.ownerUnitId, q: q.q, limit: q.limit ?? 50, offset: q.offset ?? 0,
    });
    const ref = ctx.ref.current();
    const types = await typeMap(ctx);
    return { items: list.items.map((d) => presentDevice(ref, d, types)), total: list.total, byState: list.byState };
  });

  app.post('/api/v1/devices', {
    config: { permission: 'device.manage' },
    schema: {
      tags: ['devices'], summary: 'Register a device; answers its credential ONCE',
      description: 'The place (grid, community, street, district) is located from lon/lat (400 OUT_OF_GRID naming lon outside the city). 409 naming id when it exists.',
      body: DeviceBody, response: { 201: CreatedDeviceDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const r = await createDevice(ctx, req.body, principalOf(req).userId);
    void reply.code(201);
    return { device: presentDevice(ctx.ref.current(), r.device, await typeMap(ctx)), secret: r.secret };
  });

  app.post('/api/v1/devices/import', {
    config: { permission: 'device.manage' },
    schema: {
      tags: ['devices'], summary: 'Import devices from CSV or XLSX (multipart, field "file"): a report per row',
      description: 'Header row with columns id, typeId, name, vendor, model, lon, lat, attachmentKind, attachmentId, scenario, ownerUnitId (or 设备编号, 设备类型, 名称, 厂商, 型号, 经度, 纬度, 挂接类型, '
        + '挂接对象, 场景, 权属单位). Good rows are stored, bad rows reported with their row number and column and not stored. Known ids are updated.',
      consumes: ['multipart/form-data'], response: { 200: ImportReportDto, ...ERRORS },
    },
  }, async (req) => {
    if (!req.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'body: send multipart/form-data with a "file" field', { field: 'file' });
    const file = await req.file({ limits: { fileSize: 50 * 1024 * 1024 } });
    if (!file) throw invalidAs('file', { key: 'device.no_file_sent' }, 'no file sent');
    const buf = await file.toBuffer();
    if (file.file.truncated) throw new DomainError('PAYLOAD_TOO_LARGE', 'file: larger than 50 MB; split it', { field: 'file' });
    return importDevices(ctx, await readTable(buf, file.filename), principalOf(req).userId);
  });

  app.get('/api/v1/devices/:id', {
    config: { permission: 'device.read' },
    schema: { tags: ['devices'], summary: 'One device: its registry fields, type, ingestion counts (accepted, refused by reason) and latest reading', params: DeviceIdParam, response: { 200: DeviceDetailDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const d = await loadVisibleDevice(ctx, p, req.params.id);
    const types = await typeMap(ctx);
    const [latest] = await ctx.store.readings.latest(d.id, 1);
    const accepted = await ctx.store.readings.countSince(d.id, ctx.clock.now() - 86_400_000);
    return {
      device: presentDevice(ctx.ref.current(), d, types), version: (await ctx.store.devices.versionOf(d.id)) ?? 1, deviceType: types.get(d.typeId) ?? null,
      ingest: presentStats({ ...(await ctx.store.devices.ingestStatsOf(d.id)), accepted }), latest: latest ? { at: new Date(latest.at).toISOString(), values: latest.values } : null,
      canManage: hasPermission(p.roles, 'device.manage'),
    };
  });

  app.patch('/api/v1/devices/:id', {
    config: { permission: 'device.manage' },
    schema: {
      tags: ['devices'], summary: 'Edit a device (fields not sent stay); an operator may set its state (maintenance, back online …)',
      params: DeviceIdParam, body: DevicePatch, response: { 200: DeviceDto200(), ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    await loadVisibleDevice(ctx, p, req.params.id);
    const d = await updateDevice(ctx, req.params.id, req.body, p.userId);
    return presentDevice(ctx.ref.current(), d, await typeMap(ctx));
  });

  app.post('/api/v1/devices/:id/credential', {
    config: { permission: 'device.manage' },
    schema: { tags: ['devices'], summary: 'Issue a new credential (the old one stops working); answered ONCE', params: DeviceIdParam, response: { 200: CreatedDeviceDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    await loadVisibleDevice(ctx, p, req.params.id);
    const r = await rotateDeviceCredential(ctx, req.params.id, p.userId);
    return { device: presentDevice(ctx.ref.current(), r.device, await typeMap(ctx)), secret: r.secret };
  });

  app.get('/api/v1/devices/:id/readings', {
    config: { permission: 'device.read' },
    schema: {
      tags: ['devices'], summary: 'A device\'s readings for the chart: raw, or minute / hour rollups (mean, min, max) for long ranges',
      description: 'Rollups are folded every minute (READING_JOB_INTERVAL_MS); the newest minute or two may not be in them yet.',
      params: DeviceIdParam, querystring: ReadingsQuery, response: { 200: ReadingsDto, ...ERRORS },
    },
  }, async (req) => {
    const d = await loadVisibleDevice(ctx, principalOf(req), req.params.id);
    const q = req.query;
    const to = q.to ? Date.parse(q.to) : ctx.clock.now();
    const from = q.from ? Date.parse(q.from) : to - 86_400_000;
    if (!(to > from)) throw invalidAs('to', { key: 'field.after_from' }, 'must be after from');
    const span = to - from;
    const res = q.resolution && q.resolution !== 'auto' ? q.resolution : span <= 6 * HOUR ? 'raw' : span <= 7 * 24 * HOUR ? 'minute' : 'hour';
    const limit = q.limit ?? 5000;
    const series = new Map<string, { at: number; value: number; min?: number; max?: number; n?: number }[]>();
    const push = (k: string, pt: { at: number; value: number; min?: number; max?: number; n?: number }) => { let s = series.get(k); if (!s) series.set(k, (s = [])); s.push(pt); };
    if (res === 'raw') {
      for (const r of await ctx.store.readings.range(d.id, from, to, limit)) for (const [k, v] of Object.entries(r.values)) push(k, { at: r.at, value: v });
    } else {
      const size = res === 'minute' ? MINUTE : HOUR;
      for (const r of await ctx.store.readings.rollups(d.id, size, Math.floor(from / size) * size, to, limit * 8)) {
        push(r.key, { at: r.bucket, value: r.sum / r.n, min: r.min, max: r.max, n: r.n });
      }
    }
    return { deviceId: d.id, resolution: res, from: new Date(from).toISOString(), to: new Date(to).toISOString(), series: [...series].map(([key, points]) => ({ key, points })) };
  });

  app.get('/api/v1/devices/:id/history', {
    config: { permission: 'device.read' },
    schema: { tags: ['devices'], summary: 'A device\'s history: registration, edits, credential, and every state change with its source', params: DeviceIdParam, response: { 200: HistoryDto, ...ERRORS } },
  }, async (req) => {
    const d = await loadVisibleDevice(ctx, principalOf(req), req.params.id);
    const items = await ctx.store.devices.historyOf(d.id, 200);
    return {
      items: items.map((h) => {
        let source: string | null = null;
        let detail = h.detail;
        if (h.kind === 'state' && h.detail) { try { const o = JSON.parse(h.detail) as { source?: string; detail?: string | null }; source = o.source ?? null; detail = o.detail ?? null; } catch { /* plain text */ } }
        return { at: new Date(h.at).toISOString(), kind: h.kind, state: h.state, source, detail, actorId: h.actorId };
      }),
    };
  });

  app.get('/api/v1/sensing/limits', {
    config: { permission: 'device.manage' },
    schema: { tags: ['devices'], summary: 'The city\'s reading limits: future skew, oldest reading, batch size, flood control, retention, offline factor', response: { 200: SensingLimitsDto, ...ERRORS } },
  }, async () => ctx.ref.current().sensingLimits);

  app.put('/api/v1/sensing/limits', {
    config: { permission: 'device.manage' },
    schema: {
      tags: ['devices'], summary: 'Changes the reading limits (settings row sensing_limits); fields not sent keep their value',
      description: 'A value out of its range is a 400 naming it (body.maxFutureMs). The ingester applies the new limits at once on this node, on others when their reference cache reloads.',
      body: SensingLimitsBody, response: { 200: SensingLimitsDto, ...ERRORS },
    },
  }, async (req) => replaceSensingLimits(ctx, req.body, principalOf(req).userId));
}

function DeviceDto200() {
  return CreatedDeviceDto.properties.device;
}
