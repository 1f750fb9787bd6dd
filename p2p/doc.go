// Package p2p is the storage network: a libp2p host that admits consortium
// members only, bitswap block exchange over the node's blockstore, batch
// replication, HPKE-sealed kfrag delivery, the re-encryption proxy and its
// hash-chained access log.
//
// What it promises:
//
//   - A peer that is not a consortium member is refused as soon as its
//     identity is authenticated, inbound and outbound; the refusal is logged
//     and counted (Node.RefusedConnections). The member set mirrors the chain
//     (SyncMembers, WatchChain); a member removed on-chain is disconnected. An
//     optional libp2p private-network key adds a second fence (TCP only).
//   - Members stay connected: KeepMembersConnected redials every member
//     that is not connected, each with its own backoff (1 s doubling to
//     30 s, jittered), forever, at addresses from the bootstrap list, the
//     peerstore and an address book on disk (Config.AddrBookPath) that
//     survives restarts. UnreachableMembers names those not connected.
//   - Outsiders cannot lock members out by holding connections open. Until
//     its security handshake is over a connection is anonymous; anonymous
//     inbound connections have their own budget (a quarter of libp2p's file
//     descriptors, 64 to 2,048), apart from the members' (8 connections
//     each for up to 512 members), and are cut if the handshake takes over
//     5 s, so an outsider's idle or stalled sockets hold no slot for long.
//     Connections per IPv4 address or IPv6 /56 are capped
//     (Config.MaxConnsPerIP, default 16; loopback is exempt, as only this
//     machine connects from it). Addresses members are known to use are
//     allowlisted, so members connecting from them find room even when the
//     anonymous budget is full. The connection manager never trims a member.
//   - Blocks are plain IPFS blocks (CIDv1, sha2-256) exchanged with boxo's
//     bitswap; a stock kubo admitted as a member can fetch them. Content
//     discovery asks connected members only: no public DHT.
//   - A block whose stored bytes no longer hash to its CID is never served:
//     the node answers as if it did not have it, counts it
//     (Node.CorruptBlocks), and the asker fetches from another member.
//   - Every batch pinned here is kept pinned on R live members chosen by
//     rendezvous hashing (Replicator); when a member is lost for longer than
//     the loss timeout, the survivors restore R.
//   - A proxy answers a re-encryption request only for a signed, unexpired,
//     never-seen request of the grantee a grant names, while that grant is
//     live on-chain and names this proxy; the cfrag's proof is bound to the
//     request. Every request, answered or refused, is in the access log before
//     any cfrag leaves. A revoked or expired grant's kfrag is deleted.
//   - The access log is hash-chained, durable on return of Append, anchored
//     on-chain by Merkle root, and each entry can be proved against its
//     anchor.
//
// See docs/DESIGN.md for the protocols and their trade-offs.
package p2p
