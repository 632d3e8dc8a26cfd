// The official Tencent Cloud Node.js SDK against imagehub, as a user writes it: only the endpoint (and, over plain
// HTTP, the protocol) changed. Run by io.imagehub.it.NodeSdkTest, which starts the server and reads the steps
// this prints ("step <name>"); any failed assertion exits non-zero with the reason.
"use strict";
const assert = require("node:assert/strict");
const tencentcloud = require("tencentcloud-sdk-nodejs-cvm");

const CvmClient = tencentcloud.cvm.v20170312.Client;
const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `environment variable ${name} is not set`);
  return value;
};
const REGION = env("IMAGEHUB_REGION");
const ZONE = env("IMAGEHUB_ZONE");

function client(secretId, secretKey, options = {}) {
  const httpProfile = { endpoint: env("IMAGEHUB_ENDPOINT") };
  if (process.env.IMAGEHUB_PROTOCOL) {
    httpProfile.protocol = process.env.IMAGEHUB_PROTOCOL; // unset: the SDK's default, https://
  }
  if (options.reqMethod) {
    httpProfile.reqMethod = options.reqMethod;
  }
  return new CvmClient({
    credential: { secretId, secretKey },
    region: REGION,
    profile: { httpProfile, signMethod: options.signMethod, language: options.language },
  });
}

const alice = client(env("ALICE_SECRET_ID"), env("ALICE_SECRET_KEY"));
const bob = client(env("BOB_SECRET_ID"), env("BOB_SECRET_KEY"));
const carol = client(env("CAROL_SECRET_ID"), env("CAROL_SECRET_KEY"));
const BOB_ACCOUNT_ID = env("BOB_ACCOUNT_ID");

function step(name) {
  console.log(`step ${name}`);
}

/** Runs the call and returns the SDK's error; fails if the call succeeds. */
async function refused(call) {
  try {
    await call();
  } catch (e) {
    assert.ok(e.requestId, `a refusal carries a RequestId: ${e}`);
    return e;
  }
  assert.fail("the call was expected to be refused");
}

async function imageOf(cvm, imageId) {
  const page = await cvm.DescribeImages({ ImageIds: [imageId] });
  return page.ImageSet[0];
}

async function settled(cvm, imageId) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const image = await imageOf(cvm, imageId);
    assert.ok(image, `${imageId} vanished`);
    if (!["IMPORTING", "CREATING", "SYNCING"].includes(image.ImageState)) {
      return image;
    }
    assert.ok(Date.now() < deadline, `${imageId} still ${image.ImageState} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function running(cvm, instanceId) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const page = await cvm.DescribeInstances({ InstanceIds: [instanceId] });
    const instance = page.InstanceSet[0];
    if (instance.InstanceState === "RUNNING" && instance.LatestOperationState === "SUCCESS") {
      return instance;
    }
    assert.ok(Date.now() < deadline, `${instanceId} still ${instance.InstanceState} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main() {
  const regions = await alice.DescribeRegions({});
  assert.ok(regions.RegionSet.some((r) => r.Region === REGION && r.RegionState === "AVAILABLE"), JSON.stringify(regions));
  step("regions");

  const zones = await alice.DescribeZones({});
  assert.ok(zones.TotalCount > 0 && zones.ZoneSet.every((z) => z.Zone.startsWith(REGION + "-")), JSON.stringify(zones));
  assert.ok(zones.ZoneSet.some((z) => z.Zone === ZONE));
  step("zones");

  const publicImages = await alice.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PUBLIC_IMAGE"] }] });
  assert.ok(publicImages.TotalCount > 0);
  assert.ok(publicImages.ImageSet.every((i) => i.ImageType === "PUBLIC_IMAGE"));
  step("public-images");

  const imported = await alice.ImportImage({
    Architecture: "x86_64", OsType: "CentOS", OsVersion: "7", ImageUrl: env("IMAGE_URL"), ImageName: "node-imported",
  });
  assert.match(imported.ImageId, /^img-[0-9a-z]{8}$/);
  const importedImage = await settled(alice, imported.ImageId);
  assert.equal(importedImage.ImageState, "NORMAL");
  assert.equal(importedImage.ImageType, "PRIVATE_IMAGE");
  step("import");

  const run = await alice.RunInstances({ Placement: { Zone: ZONE }, ImageId: imported.ImageId, InstanceCount: 1 });
  assert.equal(run.InstanceIdSet.length, 1);
  const instance = await running(alice, run.InstanceIdSet[0]);
  assert.equal(instance.ImageId, imported.ImageId);
  step("instance");

  const created = await alice.CreateImage({ InstanceId: instance.InstanceId, ImageName: "node-created" });
  const image = await settled(alice, created.ImageId);
  assert.equal(image.ImageState, "NORMAL");
  assert.equal(image.ImageName, "node-created");
  step("create-image");

  await alice.ModifyImageSharePermission({ ImageId: image.ImageId, AccountIds: [BOB_ACCOUNT_ID], Permission: "SHARE" });
  const permissions = await alice.DescribeImageSharePermission({ ImageId: image.ImageId });
  assert.deepEqual(permissions.SharePermissionSet.map((p) => p.AccountId), [BOB_ACCOUNT_ID]);
  step("share");

  const shared = await bob.DescribeImages({ Filters: [{ Name: "image-type", Values: ["SHARED_IMAGE"] }] });
  assert.deepEqual(shared.ImageSet.map((i) => [i.ImageId, i.ImageType]), [[image.ImageId, "SHARED_IMAGE"]]);
  const bobRename = await refused(() => bob.ModifyImageAttribute({ ImageId: image.ImageId, ImageName: "mine" }));
  assert.equal(bobRename.code, "UnsupportedOperation.SharedImageModifyUnsupported");
  step("recipient-view");

  const stranger = await carol.DescribeImages({ ImageIds: [image.ImageId] });
  assert.equal(stranger.TotalCount, 0);
  assert.deepEqual(stranger.ImageSet, []);
  const strangerShare = await refused(() => carol.DescribeImageSharePermission({ ImageId: image.ImageId }));
  assert.equal(strangerShare.code, "InvalidImageId.NotFound");
  step("stranger-view");

  const whileShared = await refused(() => alice.DeleteImages({ ImageIds: [image.ImageId] }));
  assert.equal(whileShared.code, "InvalidImageId.InShared");
  assert.ok(await imageOf(alice, image.ImageId));
  step("delete-refused-while-shared");

  await alice.ModifyImageSharePermission({ ImageId: image.ImageId, AccountIds: [BOB_ACCOUNT_ID], Permission: "CANCEL" });
  const afterCancel = await bob.DescribeImages({ Filters: [{ Name: "image-type", Values: ["SHARED_IMAGE"] }] });
  assert.equal(afterCancel.TotalCount, 0);
  step("cancel");

  await alice.DeleteImages({ ImageIds: [image.ImageId] });
  assert.equal(await imageOf(alice, image.ImageId), undefined);
  step("delete");

  const wrongKey = await refused(() => client(env("ALICE_SECRET_ID"), "not-" + env("ALICE_SECRET_KEY")).DescribeRegions({}));
  assert.equal(wrongKey.code, "AuthFailure.SignatureFailure");
  step("wrong-key");

  for (const [name, options] of [
    ["get", { reqMethod: "GET" }],
    ["hmac-sha256", { signMethod: "HmacSHA256" }],
    ["hmac-sha1-get", { signMethod: "HmacSHA1", reqMethod: "GET" }],
    ["zh-cn", { language: "zh-CN" }],
  ]) {
    if (!(process.env.IMAGEHUB_STYLES || "").split(",").includes(name)) {
      continue;
    }
    const cvm = client(env("ALICE_SECRET_ID"), env("ALICE_SECRET_KEY"), options);
    const listed = await cvm.DescribeImages({ ImageIds: [imported.ImageId], Limit: 10 });
    assert.deepEqual(listed.ImageSet.map((i) => i.ImageId), [imported.ImageId]);
    await cvm.ModifyImageAttribute({ ImageId: imported.ImageId, ImageName: `node-${name}` });
    assert.equal((await imageOf(alice, imported.ImageId)).ImageName, `node-${name}`);
    const missing = await refused(() => cvm.DescribeImageSharePermission({ ImageId: "img-00000000" }));
    assert.equal(missing.code, "InvalidImageId.NotFound");
    step(`style-${name}`);
  }
}

main().then(() => step("done"), (e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
