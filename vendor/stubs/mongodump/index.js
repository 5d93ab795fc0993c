// Stand-in for an unpublished dependency of @push.rocks/smartmongo that chot never calls.
export const MongoDump = class {};
