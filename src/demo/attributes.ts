/**
 * The demo city's extra questions for a few common matters (Open311 service-definition attributes): what a
 * dispatcher needs to send the right crew without calling the reporter back. Administrators change them at
 * PUT /api/v1/catalog/matters/{code}/attributes; these are only the first version.
 */
import { validateAttributeDefs } from '../domain/catalog/attributes.ts';
import type { Repositories } from '../storage/store.ts';

export const DEMO_ATTRIBUTES: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  // 供水井盖异常: the crew brings a cover of the right kind, and a missing cover on a road is made safe first.
  '01001': [
    {
      code: 'cover_state', datatype: 'singlevaluelist', required: true, order: 1, description: '井盖是什么情况？/ What is wrong with the cover?',
      values: [
        { key: 'missing', name: '缺失 / Missing' }, { key: 'broken', name: '破损 / Broken' },
        { key: 'displaced', name: '移位或凹凸不平 / Displaced or uneven' }, { key: 'noisy', name: '松动异响 / Loose, rattling' },
      ],
    },
    {
      code: 'where_on_street', datatype: 'multivaluelist', required: false, order: 2, description: '井盖在哪里？（可多选）/ Where is it? (all that apply)',
      values: [
        { key: 'carriageway', name: '机动车道 / Carriageway' }, { key: 'sidewalk', name: '人行道 / Sidewalk' },
        { key: 'near_school', name: '学校或医院附近 / Near a school or hospital' },
      ],
    },
  ],
  // 路灯异常: the pole number (painted on every pole) finds the lamp and its circuit.
  '01037': [
    {
      code: 'pole_number', datatype: 'string', required: true, order: 1, description: '灯杆编号 / Pole number',
      datatypeDescription: '灯杆上喷涂的编号，例如 LD-0123 / Painted on the pole, e.g. LD-0123',
    },
    { code: 'lamps_out', datatype: 'number', required: false, order: 2, description: '连续不亮的有几盏？/ How many lamps in a row are out?' },
  ],
  // 暴露垃圾: the volume decides between a sweeper and a truck.
  '06010': [
    {
      code: 'volume', datatype: 'singlevaluelist', required: true, order: 1, description: '垃圾大约有多少？/ How much is there?',
      values: [
        { key: 'bag', name: '一两袋 / A bag or two' }, { key: 'cart', name: '一手推车 / About a handcart' },
        { key: 'truck', name: '需要清运车 / A truckload' },
      ],
    },
    {
      code: 'bulky_waste_info', datatype: 'string', variable: false, order: 2,
      description: '大件垃圾（家具、家电）请拨打 12345 预约上门清运 / For bulky waste (furniture, appliances), call 12345 to book a collection',
    },
  ],
};

/** The first version of each demo set, inside the seed's transaction (the seed bumps the reference version). */
export async function seedDemoAttributes(tx: Repositories, now: number): Promise<void> {
  for (const [matterCode, attrs] of Object.entries(DEMO_ATTRIBUTES)) {
    await tx.matterAttributes.insertAttributeSet({ matterCode, version: 1, attributes: validateAttributeDefs(attrs), createdAt: now, createdBy: null });
  }
}
