// EC2 specifics: instances (B5), key pairs (B2.1), volumes and network interfaces (B5.4.x).
// Named fields (ECS has none for these): aws.ec2.instance_ids, aws.ec2.instance_state.{previous,current},
// aws.ec2.force (StopInstances), aws.ec2.restart (RebootInstances), aws.ec2.attribute (the attribute
// ModifyInstanceAttribute changed), aws.ec2.key_pair.{name,id,fingerprint,type},
// aws.ec2.volume.{id,size,type,device}, aws.ec2.network_interface.{id,attachment_id},
// aws.ec2.security_group.id.
import { setPath, type EcsDoc } from '../../../core/event.js';
import { dig, isObj, list, obj, str } from '../json-fields.js';
import type { Refinement } from './services.js';

function items(v: unknown, path: string): EcsDoc[] {
  return list(dig(v, path)).filter(isObj);
}

export function ec2(name: string, j: EcsDoc, doc: EcsDoc): Refinement {
  const rp = obj(j.requestParameters) ?? {};
  const re = obj(j.responseElements) ?? {};
  const reqItems = items(rp, 'instancesSet.items');
  const resItems = items(re, 'instancesSet.items');
  const ids = [...new Set([...resItems, ...reqItems].map((i) => str(i.instanceId)).filter((x): x is string => !!x))];
  const instance = str(rp.instanceId) ?? str(re.instanceId) ?? ids[0];
  setPath(doc, 'cloud.instance.id', instance);
  if (ids.length) setPath(doc, 'aws.ec2.instance_ids', ids);
  const first = resItems[0];
  setPath(doc, 'aws.ec2.instance_state.previous', str(dig(first, 'previousState.name')));
  setPath(doc, 'aws.ec2.instance_state.current', str(dig(first, 'currentState.name')));

  switch (name) {
    case 'RunInstances':
      setPath(doc, 'cloud.image.id', str(reqItems[0]?.imageId) ?? str(rp.imageId) ?? str(first?.imageId));
      setPath(doc, 'cloud.machine.type', str(rp.instanceType) ?? str(first?.instanceType));
      setPath(doc, 'aws.ec2.key_pair.name', str(reqItems[0]?.keyName) ?? str(rp.keyName) ?? str(first?.keyName));
      return {};
    case 'StopInstances':
      if (typeof rp.force === 'boolean') setPath(doc, 'aws.ec2.force', rp.force);
      return {};
    case 'RebootInstances':
      setPath(doc, 'aws.ec2.restart', true);
      return {};
    case 'ModifyInstanceAttribute':
      return modifyAttribute(rp, doc);
    case 'CreateKeyPair':
    case 'ImportKeyPair':
    case 'DeleteKeyPair':
      setPath(doc, 'aws.ec2.key_pair.name', str(rp.keyName) ?? str(re.keyName));
      setPath(doc, 'aws.ec2.key_pair.id', str(re.keyPairId) ?? str(rp.keyPairId));
      setPath(doc, 'aws.ec2.key_pair.fingerprint', str(re.keyFingerprint));
      setPath(doc, 'aws.ec2.key_pair.type', str(rp.keyType));
      return {};
    case 'AttachVolume':
    case 'DetachVolume':
    case 'ModifyVolume': {
      const mv = obj(rp.ModifyVolumeRequest) ?? {};
      setPath(doc, 'aws.ec2.volume.id', str(rp.volumeId) ?? str(mv.VolumeId) ?? str(re.volumeId));
      setPath(doc, 'aws.ec2.volume.device', str(rp.device) ?? str(re.device));
      const size = rp.size ?? mv.Size;
      if (typeof size === 'number') setPath(doc, 'aws.ec2.volume.size', size);
      setPath(doc, 'aws.ec2.volume.type', str(rp.volumeType) ?? str(mv.VolumeType));
      return {};
    }
    case 'AttachNetworkInterface':
    case 'DetachNetworkInterface':
      setPath(doc, 'aws.ec2.network_interface.id', str(rp.networkInterfaceId));
      setPath(doc, 'aws.ec2.network_interface.attachment_id', str(rp.attachmentId) ?? str(re.attachmentId));
      return {};
    default:
      if (name.includes('SecurityGroup')) setPath(doc, 'aws.ec2.security_group.id', str(rp.groupId));
      return {};
  }
}

/**
 * ModifyInstanceAttribute names one attribute, either as its own key ({"instanceType": {"value": "m5.large"}})
 * or as {"attribute": "instanceType", "value": "m5.large"}. A new instance type changes CPU and RAM.
 */
function modifyAttribute(rp: EcsDoc, doc: EcsDoc): Refinement {
  const attr = str(rp.attribute) ?? Object.keys(rp).find((k) => k !== 'instanceId');
  setPath(doc, 'aws.ec2.attribute', attr);
  if (attr !== 'instanceType') return {};
  setPath(doc, 'cloud.machine.type', str(dig(rp, 'instanceType.value')) ?? str(rp.value));
  return { req: ['B5.4.1', 'B5.4.2'] };
}
