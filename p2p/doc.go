// Package p2p is the storage network: a libp2p host that admits consortium
// members only, bitswap block exchange over the node's blockstore, batch
// replication, kfrag delivery and the re-encryption proxy.
//
// What it promises:
//
//   - A peer that is not a consortium member is refused as soon as its
//     identity is authenticated, inbound and outbound; the refusal is logged
//     and counted (Node.RefusedConnections). A member removed from the set is
//     disconnected. An optional libp2p private-network key adds a second
//     fence (TCP only).
//   - Blocks are plain IPFS blocks (CIDv1, sha2-256) exchanged with boxo's
//     bitswap. Content discovery asks connected members only: no public DHT.
//   - A block whose stored bytes no longer hash to its CID is never served:
//     the node answers as if it did not have it, counts it
//     (Node.CorruptBlocks), and the asker fetches from another member.
package p2p
