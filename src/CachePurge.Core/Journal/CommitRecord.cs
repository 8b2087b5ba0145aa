using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace CachePurge.Core.Journal;

/// <summary>
/// A commit as the commit log stores it: <c>[payload length][CRC-32 of the payload]</c>, then the
/// payload <c>[sequence][committed-at ms][entry count]</c> and, per entry, <c>[kind][endpoint][value]</c>
/// with each string as <c>[byte length][UTF-8]</c>. Little-endian throughout. A plain binary form,
/// because encoding sits on the commit path of every request; SQLite gets JSON later, off that path.
/// </summary>
internal static class CommitRecord
{
    public const int HeaderBytes = 8;
    private const int FixedPayloadBytes = 20;

    public static byte[] Encode(LoggedCommit commit)
    {
        var length = HeaderBytes + FixedPayloadBytes;
        foreach (var (endpoint, target) in commit.Entries)
        {
            length += 12 + Encoding.UTF8.GetByteCount(endpoint) + Encoding.UTF8.GetByteCount(target.Value);
        }

        // Records start on 8-byte boundaries, so that a header is written in one aligned store.
        var record = new byte[Align(length)];
        var payload = record.AsSpan(HeaderBytes);
        BinaryPrimitives.WriteInt64LittleEndian(payload[8..], commit.CommittedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt32LittleEndian(payload[16..], commit.Entries.Count);
        var position = payload[FixedPayloadBytes..];
        foreach (var (endpoint, target) in commit.Entries)
        {
            BinaryPrimitives.WriteInt32LittleEndian(position, (int)target.Kind);
            position = WriteString(position[4..], endpoint);
            position = WriteString(position, target.Value);
        }

        BinaryPrimitives.WriteInt32LittleEndian(record, length - HeaderBytes);
        Seal(record, commit.Sequence);
        return record;
    }

    /// <summary>Puts the sequence number, known only under the log's lock, into an encoded record, and its checksum.</summary>
    public static void Seal(byte[] record, long sequence)
    {
        var payload = record.AsSpan(HeaderBytes, BinaryPrimitives.ReadInt32LittleEndian(record));
        BinaryPrimitives.WriteInt64LittleEndian(payload, sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(payload));
    }

    /// <summary>Adds the whole records of <paramref name="bytes"/> to <paramref name="commits"/>; false if a record before the end is damaged.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, List<LoggedCommit> commits)
    {
        while (bytes.Length >= HeaderBytes)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
            if (length == 0)
            {
                // Where nothing was written yet (or what was saved was cleared): the end of the records.
                return true;
            }

            if (length < FixedPayloadBytes || HeaderBytes + (long)length > bytes.Length)
            {
                // Cut short by a kill mid-write, or a length that is itself damaged: either way nothing after it can be trusted.
                return length >= FixedPayloadBytes && bytes.Length < HeaderBytes + (long)length;
            }

            var payload = bytes.Slice(HeaderBytes, length);
            if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) || !TryReadPayload(payload, out var commit))
            {
                return false;
            }

            commits.Add(commit);
            bytes = bytes[(int)Math.Min(Align(HeaderBytes + length), bytes.Length)..];
        }

        return true;
    }

    private static int Align(int length) => (length + 7) & ~7;

    private static bool TryReadPayload(ReadOnlySpan<byte> payload, out LoggedCommit commit)
    {
        commit = null!;
        var count = BinaryPrimitives.ReadInt32LittleEndian(payload[16..]);
        var entries = new List<(string Endpoint, PurgeTarget Target)>(Math.Clamp(count, 0, 1024));
        var position = payload[FixedPayloadBytes..];
        for (var i = 0; i < count; i++)
        {
            if (position.Length < 4)
            {
                return false;
            }

            var kind = (PurgeTargetKind)BinaryPrimitives.ReadInt32LittleEndian(position);
            if (!TryReadString(position[4..], out var endpoint, out position) || !TryReadString(position, out var value, out position))
            {
                return false;
            }

            entries.Add((endpoint, new PurgeTarget(kind, value)));
        }

        commit = new LoggedCommit(
            BinaryPrimitives.ReadInt64LittleEndian(payload),
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(payload[8..])),
            entries);
        return position.IsEmpty;
    }

    private static Span<byte> WriteString(Span<byte> destination, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination, written);
        return destination[(4 + written)..];
    }

    private static bool TryReadString(ReadOnlySpan<byte> source, out string value, out ReadOnlySpan<byte> rest)
    {
        value = "";
        rest = source;
        if (source.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(source);
        if (length < 0 || length > source.Length - 4)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(source.Slice(4, length));
        rest = source[(4 + length)..];
        return true;
    }
}
